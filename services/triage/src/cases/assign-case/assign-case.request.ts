import { idSchema } from '@cit/contracts';
import { z } from 'zod';

/** POST /v1/cases/{id}/assignment: who coordinates the case (null: nobody). */
export const assignCaseRequestSchema = z.strictObject({
  assignedTo: idSchema.nullable(),
  /** Optimistic concurrency: the version the caller saw (409 when the case changed since). */
  expectedVersion: z.number().int().min(1).optional(),
});
export type AssignCaseRequest = z.infer<typeof assignCaseRequestSchema>;
