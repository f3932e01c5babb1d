import { z } from 'zod';

/** POST /v1/nominations/{id}/withdraw. */
export const withdrawNominationRequestSchema = z.strictObject({
  reason: z.enum(['no-longer-needed', 'person-moved', 'handled-elsewhere', 'submitted-in-error', 'other']),
  expectedVersion: z.number().int().positive().optional(),
});
export type WithdrawNominationRequest = z.infer<typeof withdrawNominationRequestSchema>;
