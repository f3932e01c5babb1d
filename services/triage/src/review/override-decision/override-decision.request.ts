import { z } from 'zod';
import { idSchema, riskLevelSchema, sectorSchema, triageNeedSchema, triagePathwaySchema } from '@cit/contracts';

const distinct = (v: readonly string[]) => new Set(v).size === v.length;

/** POST /v1/decisions/{id}/override: the supervisor's decision, with a reason; it supersedes the current one. */
export const overrideDecisionRequestSchema = z.strictObject({
  reason: z.string().trim().min(3).max(2000).describe('Why (stored encrypted; never published or logged)'),
  riskLevel: riskLevelSchema,
  needs: z.array(triageNeedSchema).max(10).refine(distinct, 'must not repeat a need'),
  pathways: z
    .array(triagePathwaySchema)
    .min(1)
    .max(6)
    .refine(distinct, 'must not repeat a pathway')
    .refine(
      (p) => !p.includes('no-further-action') || p.length === 1,
      'no-further-action cannot be combined with other pathways',
    ),
  sector: sectorSchema.optional(),
  assigneeId: idSchema.optional().describe('Staff member id (stf_…), active in the department'),
});
export type OverrideDecisionRequest = z.infer<typeof overrideDecisionRequestSchema>;
