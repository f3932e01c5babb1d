import {
  bhObservationSchema,
  bhRelatedToSchema,
  encounterSchema,
  incidentSourceSchema,
  suspectedUsingSchema,
  type AgeRange,
} from '@cit/contracts';

/**
 * What a ruleset can look at: the codes intake records for an incident (never PHI), the
 * primary subject's flags, and what triage itself knows (crisis plan, repeat contacts, the
 * department's program model). Plain data, derived in one place (`triageFacts`).
 */
export interface TriageFacts {
  callType: string;
  disposition: string | null;
  district: string | null;
  encounter: 'criminal' | 'non-criminal';
  source: 'api' | 'import';
  relatedTo: 'mental-health' | 'narcotics' | 'both' | 'neither';
  observations: string[];
  suspectedUsing: string[];
  'subject.juvenile': boolean;
  'subject.senior': boolean;
  'subject.veteran': boolean;
  'subject.experiencingHomelessness': boolean;
  subjectCount: number;
  personKnown: boolean;
  language: string | null;
  crisisPlanOnFile: boolean;
  repeatContactRuleMet: boolean;
  courtInvolved: boolean;
  openInvestigation: boolean;
  programModel: string;
}
export type FactName = keyof TriageFacts;

/** How a fact may be compared, and which values it can take (undefined: free text code). */
export type FactKind =
  | { kind: 'text'; values?: readonly string[] }
  | { kind: 'text-list'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'number' };

export const PROGRAM_MODELS = ['in-house-clinical', 'social-justice', 'co-response', 'clear', 'ccit'] as const;

export const FACTS: Record<FactName, FactKind> = {
  callType: { kind: 'text' },
  disposition: { kind: 'text' },
  district: { kind: 'text' },
  encounter: { kind: 'text', values: encounterSchema.options },
  source: { kind: 'text', values: incidentSourceSchema.options },
  relatedTo: { kind: 'text', values: bhRelatedToSchema.options },
  observations: { kind: 'text-list', values: bhObservationSchema.options },
  suspectedUsing: { kind: 'text-list', values: suspectedUsingSchema.options },
  'subject.juvenile': { kind: 'boolean' },
  'subject.senior': { kind: 'boolean' },
  'subject.veteran': { kind: 'boolean' },
  'subject.experiencingHomelessness': { kind: 'boolean' },
  subjectCount: { kind: 'number' },
  personKnown: { kind: 'boolean' },
  language: { kind: 'text' },
  crisisPlanOnFile: { kind: 'boolean' },
  repeatContactRuleMet: { kind: 'boolean' },
  courtInvolved: { kind: 'boolean' },
  openInvestigation: { kind: 'boolean' },
  programModel: { kind: 'text', values: PROGRAM_MODELS },
};

/** Dispositions and call types that put a person before a court (consultation before any referral). */
export const COURT_DISPOSITIONS: readonly string[] = [
  'arrest',
  'summons',
  'warrant-served',
  'protective-custody',
  'court-ordered-evaluation',
  'charged',
  'arraigned',
  'probation-violation',
];
export const COURT_CALL_TYPES: readonly string[] = ['warrant-service', 'court-order-service', 'probation-check'];

/** The incident as triage keeps it (ids and codes; see the triage_intake row). */
export interface TriageIncident {
  callType: string;
  disposition?: string | null;
  district?: string | null;
  encounter: 'criminal' | 'non-criminal';
  source: 'api' | 'import';
  relatedTo: TriageFacts['relatedTo'];
  observations: readonly string[];
  suspectedUsing: readonly string[];
  subjectCount: number;
  /** The primary subject (first listed), if any. */
  subject?: {
    personId?: string | null;
    language?: string | null;
    flags: { juvenile: boolean; senior: boolean; veteran: boolean; experiencingHomelessness: boolean };
  } | null;
}

export interface TriageContext {
  crisisPlanOnFile: boolean;
  repeatContactRuleMet: boolean;
  programModel: string;
}

export function triageFacts(incident: TriageIncident, context: TriageContext): TriageFacts {
  const flags = incident.subject?.flags;
  const disposition = incident.disposition ?? null;
  return {
    callType: incident.callType,
    disposition,
    district: incident.district ?? null,
    encounter: incident.encounter,
    source: incident.source,
    relatedTo: incident.relatedTo,
    observations: [...incident.observations],
    suspectedUsing: [...incident.suspectedUsing],
    'subject.juvenile': flags?.juvenile ?? false,
    'subject.senior': flags?.senior ?? false,
    'subject.veteran': flags?.veteran ?? false,
    'subject.experiencingHomelessness': flags?.experiencingHomelessness ?? false,
    subjectCount: incident.subjectCount,
    personKnown: Boolean(incident.subject?.personId),
    language: incident.subject?.language ?? null,
    crisisPlanOnFile: context.crisisPlanOnFile,
    repeatContactRuleMet: context.repeatContactRuleMet,
    courtInvolved:
      (disposition !== null && COURT_DISPOSITIONS.includes(disposition)) ||
      COURT_CALL_TYPES.includes(incident.callType),
    openInvestigation: incident.encounter === 'criminal',
    programModel: context.programModel,
  };
}

/** Age range for referral routing, from the primary subject's flags (no date of birth leaves intake in clear). */
export function ageRangeOf(incident: TriageIncident): AgeRange {
  const flags = incident.subject?.flags;
  if (!flags) return 'unknown';
  if (flags.juvenile) return 'juvenile';
  if (flags.senior) return 'senior';
  return 'adult';
}
