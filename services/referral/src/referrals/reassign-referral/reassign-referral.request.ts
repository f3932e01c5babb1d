import { referralReasonSchema } from '@cit/contracts';
import { z } from 'zod';

export const reassignReferralRequestSchema = z.strictObject({
  agencyId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
});
export type ReassignReferralRequest = z.infer<typeof reassignReferralRequestSchema>;

export const cancelReferralRequestSchema = z.strictObject({ reasonCode: referralReasonSchema });
export type CancelReferralRequest = z.infer<typeof cancelReferralRequestSchema>;
