import { z } from 'zod';

export const updateCapacityRequestSchema = z.strictObject({
  available: z.number().int().min(0).max(100_000),
  maximum: z.number().int().min(0).max(100_000).optional(),
});
export type UpdateCapacityRequest = z.infer<typeof updateCapacityRequestSchema>;
