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

/** Legal basis recorded for any PHI a referral discloses. */
export const legalBasisSchema = z.enum(['consent', 'treatment', 'hipaa-164.512(j)-serious-imminent-threat', 'none']);
