import { idSchema, riskLevelSchema, triageNeedSchema, triagePathwaySchema } from '@cit/contracts';
import { z } from 'zod';

const distinct = (codes: readonly string[]) => new Set(codes).size === codes.length;

/**
 * POST /v1/cases: a case opened by hand — outreach a coordinator starts, or re-entry outreach
 * for a resident released from incarceration (source re-entry; the re-entry need is implied).
 */
export const openCaseRequestSchema = z.strictObject({
  personId: idSchema,
  source: z.enum(['manual', 're-entry']),
  riskLevel: riskLevelSchema,
  needs: z.array(triageNeedSchema).max(10).refine(distinct, 'must not repeat a need').default([]),
  pathway: triagePathwaySchema.optional(),
  assignedTo: idSchema.optional(),
  incidentIds: z.array(idSchema).max(50).refine(distinct, 'must not repeat an incident').default([]),
});
export type OpenCaseRequest = z.infer<typeof openCaseRequestSchema>;
