import { z } from 'zod';

export const listMousQuerySchema = z.strictObject({
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
});
export type ListMousQuery = z.infer<typeof listMousQuerySchema>;
