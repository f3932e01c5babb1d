import { cursorParamSchema, limitParamSchema } from '@cit/service-kit';
import { z } from 'zod';

export const partnerReferralsQuerySchema = z.strictObject({
  cursor: cursorParamSchema.optional(),
  limit: limitParamSchema(200, 50),
});
export type PartnerReferralsQuery = z.infer<typeof partnerReferralsQuerySchema>;
