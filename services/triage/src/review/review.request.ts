import { z } from 'zod';
import { idSchema } from '@cit/contracts';

/** The consultation a court-involved case or open investigation needs before any referral. */
export const consultationSchema = z.strictObject({
  consultedWith: idSchema.describe('Officer or supervisor consulted (their staff subject or id)'),
});
