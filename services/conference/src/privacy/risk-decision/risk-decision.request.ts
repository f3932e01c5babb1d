import { idSchema } from '@cit/contracts';
import { z } from 'zod';

/**
 * POST /v1/sessions/{sessionId}/cases/{nominationId}/risk-decision (filter 2): is the risk
 * acutely elevated? If so, limited identity goes to the selected agencies; if not, the record
 * is redacted and kept for statistics.
 */
export const riskDecisionRequestSchema = z
  .strictObject({
    acutelyElevated: z.boolean(),
    selectedAgencyIds: z
      .array(idSchema)
      .max(50)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an agency')
      .describe(
        'Agencies that receive limited identity (elevated), or that were mobilized (not elevated: counted only)',
      ),
    servicesMobilized: z.number().int().min(0).max(1000).default(0).describe('Services mobilized (kept as a count)'),
  })
  .superRefine((v, ctx) => {
    if (v.acutelyElevated && v.selectedAgencyIds.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['selectedAgencyIds'],
        message: 'an elevated risk needs at least one agency',
      });
    }
  });
export type RiskDecisionRequest = z.infer<typeof riskDecisionRequestSchema>;
