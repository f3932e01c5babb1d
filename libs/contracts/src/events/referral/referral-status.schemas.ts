import { z } from 'zod';

/** FHIR Task.status values used by the referral lifecycle. */
export const referralStatusSchema = z.enum([
  'requested',
  'received',
  'accepted',
  'rejected',
  'in-progress',
  'on-hold',
  'completed',
  'failed',
  'cancelled',
]);
export type ReferralStatus = z.infer<typeof referralStatusSchema>;

/** Outcome codes on close, in plain words. */
export const referralOutcomeSchema = z.enum([
  'got-help',
  'could-not-contact',
  'not-eligible',
  'no-capacity',
  'declined-services',
  'referred-elsewhere',
]);
export type ReferralOutcome = z.infer<typeof referralOutcomeSchema>;

/** Legal basis recorded for any PHI a referral discloses. */
export const legalBasisSchema = z.enum(['consent', 'treatment', 'hipaa-164.512(j)-serious-imminent-threat', 'none']);
export type LegalBasis = z.infer<typeof legalBasisSchema>;

/** Categories of information an MOU may allow to be shared (minimum necessary is decided per category). */
export const disclosureCategorySchema = z.enum(['identity', 'contact', 'narrative', 'indicators', 'substance-use']);
export type DisclosureCategory = z.infer<typeof disclosureCategorySchema>;

/** Why a referral was rejected or failed, or why it was cancelled or re-routed. */
export const referralReasonSchema = z.enum([
  'no-capacity',
  'not-eligible',
  'outside-service-area',
  'cannot-serve-language',
  'declined-by-person',
  'could-not-contact',
  'duplicate',
  'case-closed',
  'superseded',
  'rerouted',
  'sla-not-received',
  'sla-not-accepted',
  'mou-expired',
  'other',
]);
export type ReferralReason = z.infer<typeof referralReasonSchema>;

/** Status of a memorandum of understanding with a partner agency. */
export const mouStatusSchema = z.enum(['draft', 'active', 'suspended', 'expired', 'terminated']);
export type MouStatus = z.infer<typeof mouStatusSchema>;

/** SLA deadlines a referral carries for the partner and for reminder scheduling (followup). */
export const referralSlaSchema = z.strictObject({
  receiveBy: z.iso.datetime({ offset: true }).optional().describe('the partner must acknowledge receipt by then'),
  acceptBy: z.iso.datetime({ offset: true }).describe('the partner must accept (or reject) by then'),
});
export type ReferralSla = z.infer<typeof referralSlaSchema>;
