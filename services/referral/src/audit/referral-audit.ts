// What each referral route records in the PHI access audit (@cit/audit): ids and field names, never values.
import type { AuditEntryInput, AuditHttpRequest } from '@cit/audit';

interface PartnerViewLike {
  referralId: string;
  disclosed: Record<string, string>;
}

const personIdsOf = (v: PartnerViewLike): string[] => (v.disclosed.personId ? [v.disclosed.personId] : []);

function partnerRead(v: PartnerViewLike): AuditEntryInput {
  return {
    action: 'read',
    recordType: 'referral',
    recordId: v.referralId,
    personIds: personIdsOf(v),
    fields: Object.keys(v.disclosed),
  };
}

/** GET /v1/partner/referrals: one entry per referral shown, naming the disclosed fields. */
export const partnerReferralsRead = (page: { items: PartnerViewLike[] }): AuditEntryInput[] =>
  page.items.map(partnerRead);

/** GET /v1/partner/referrals/{id}. */
export const partnerReferralRead = (v: PartnerViewLike): AuditEntryInput[] => [partnerRead(v)];

/** GET /v1/persons/{id}/disclosures: the accounting itself is a read of the person's record. */
export const disclosuresRead = (_: unknown, req: AuditHttpRequest): AuditEntryInput[] => [
  {
    action: 'read',
    recordType: 'disclosure-accounting',
    recordId: String(req.params.id ?? ''),
    personIds: [String(req.params.id ?? '')],
    fields: [],
  },
];

/** GET /v1/referrals/{id}/fhir: the FHIR bundle shows the referral and its person reference. */
export const referralFhirRead = (_: unknown, req: AuditHttpRequest): AuditEntryInput[] => [
  {
    action: 'read',
    recordType: 'referral',
    recordId: String(req.params.id ?? ''),
    personIds: [],
    fields: ['fhir-bundle'],
  },
];
