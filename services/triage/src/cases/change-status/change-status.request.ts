import { caseStatusSchema, idSchema } from '@cit/contracts';
import { z } from 'zod';

/** POST /v1/cases/{id}/status: move the case along its lifecycle. */
export const changeStatusRequestSchema = z
  .strictObject({
    status: caseStatusSchema,
    /** With transferred: the agency the case went to. */
    transferredToAgencyId: idSchema.optional(),
    /** Optimistic concurrency: the version the caller saw (409 when the case changed since). */
    expectedVersion: z.number().int().min(1).optional(),
  })
  .refine((r) => r.transferredToAgencyId === undefined || r.status === 'transferred', {
    path: ['transferredToAgencyId'],
    message: 'only with status transferred',
  });
export type ChangeStatusRequest = z.infer<typeof changeStatusRequestSchema>;
