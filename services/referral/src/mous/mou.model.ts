// MOUs with partner agencies and their data-sharing terms. Plain TypeScript.
import type { DisclosureCategory, MouStatus } from '@cit/contracts';

export const MOU_TEMPLATES = [
  'community-organization',
  'trial-court-probation',
  'community-action-agency',
  'emergency-service-provider',
] as const;
export type MouTemplate = (typeof MOU_TEMPLATES)[number];

export interface CategoryTerm {
  shared: boolean;
  /** Shared only with the person's consent. */
  consentRequired: boolean;
}

export interface MouTerms {
  categories: Record<DisclosureCategory, CategoryTerm>;
  /** The recipient provides treatment or care coordination (HIPAA treatment disclosures may apply). */
  treatment: boolean;
}

export interface Mou {
  id: string;
  agencyId: string;
  template: MouTemplate;
  /** Directory services covered; empty covers every service of the agency. */
  serviceIds: string[];
  effectiveFrom: string;
  expiresOn: string;
  status: MouStatus;
  terms: MouTerms;
  documentRef: string;
  revision: number;
}

/** Active on a calendar day (YYYY-MM-DD in the department's zone): status active and within its dates. */
export function mouActiveOn(mou: Pick<Mou, 'status' | 'effectiveFrom' | 'expiresOn'>, day: string): boolean {
  return mou.status === 'active' && mou.effectiveFrom <= day && day <= mou.expiresOn;
}

export function mouCovers(mou: Pick<Mou, 'serviceIds'>, serviceId: string): boolean {
  return mou.serviceIds.length === 0 || mou.serviceIds.includes(serviceId);
}

const term = (shared: boolean, consentRequired = false): CategoryTerm => ({ shared, consentRequired });

/** Data-sharing terms each template starts from (an MOU may change them). */
export const TEMPLATE_TERMS: Record<MouTemplate, MouTerms> = {
  'community-organization': {
    treatment: false,
    categories: {
      identity: term(true, true),
      contact: term(true, true),
      narrative: term(false),
      indicators: term(true),
      'substance-use': term(true, true),
    },
  },
  'trial-court-probation': {
    treatment: false,
    categories: {
      identity: term(true),
      contact: term(false),
      narrative: term(false),
      indicators: term(false),
      'substance-use': term(false),
    },
  },
  'community-action-agency': {
    treatment: false,
    categories: {
      identity: term(true, true),
      contact: term(true, true),
      narrative: term(false),
      indicators: term(false),
      'substance-use': term(false),
    },
  },
  'emergency-service-provider': {
    treatment: true,
    categories: {
      identity: term(true),
      contact: term(true),
      narrative: term(true),
      indicators: term(true),
      'substance-use': term(true, true),
    },
  },
};
