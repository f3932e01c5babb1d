import { z } from 'zod';
import { idSchema, sectorSchema } from '@cit/contracts';
import { consultationSchema } from '../review.request';

/** POST /v1/decisions/{id}/assign: a unit, a sector or a clinician (staff member), and the decision is released. */
export const assignDecisionRequestSchema = z
  .strictObject({
    unit: z.string().trim().min(1).max(64).optional(),
    sector: sectorSchema.optional(),
    assigneeId: idSchema.optional().describe('Staff member id (stf_…), active in the department'),
    consultation: consultationSchema.optional(),
  })
  .refine((b) => b.unit !== undefined || b.sector !== undefined || b.assigneeId !== undefined, {
    message: 'name a unit, a sector or an assignee',
    path: ['assigneeId'],
  });
export type AssignDecisionRequest = z.infer<typeof assignDecisionRequestSchema>;
