import { referralOutcomeSchema, referralReasonSchema, referralStatusSchema } from '@cit/contracts';
import { z } from 'zod';

/** POST /v1/partner/referrals/{id}/status: the agency moves its referral (FHIR Task.status). */
export const partnerStatusRequestSchema = z.strictObject({
  status: referralStatusSchema,
  reasonCode: referralReasonSchema.optional().describe('required for rejected and on-hold'),
  outcome: referralOutcomeSchema.optional().describe('required for completed and failed'),
});
export type PartnerStatusRequest = z.infer<typeof partnerStatusRequestSchema>;
