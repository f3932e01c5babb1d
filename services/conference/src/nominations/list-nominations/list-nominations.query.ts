import { idSchema, riskLevelSchema } from '@cit/contracts';
import { cursorParamSchema, limitParamSchema } from '@cit/service-kit';
import { z } from 'zod';

/** GET /v1/nominations query string. */
export const listNominationsQuerySchema = z.strictObject({
  status: z.enum(['pending-verification', 'open', 'closed', 'rejected', 'withdrawn']).optional(),
  source: z.enum(['partner', 'family', 'triage', 'staff']).optional(),
  privacyStage: z.enum(['de-identified', 'redacted', 'limited-identity', 'planning']).optional(),
  riskLevel: riskLevelSchema.optional(),
  personId: idSchema.optional().describe('nominations of this person (intake id)'),
  limit: limitParamSchema(),
  cursor: cursorParamSchema.optional(),
});
export type ListNominationsQuery = z.infer<typeof listNominationsQuerySchema>;
