import { z } from 'zod';
import { SCREENING_CATEGORIES, SCREENING_LIMITS, SCREENING_OBSERVATIONS } from '../screening';

const suggests = z.enum(SCREENING_CATEGORIES);
// Raw lengths are bounded generously; the domain normalizes and applies the real term rules.
const termRule = z.strictObject({ term: z.string().min(1).max(200), suggests });

/** PUT /v1/review-queue/config: the department's complete screening rules (replaces what was saved). */
export const putScreeningConfigRequestSchema = z.strictObject({
  callTypes: z.array(termRule).max(SCREENING_LIMITS.callTypes),
  keywords: z.array(termRule).max(SCREENING_LIMITS.keywords),
  phrases: z.array(termRule).max(SCREENING_LIMITS.phrases),
  observations: z
    .array(z.strictObject({ observation: z.enum(SCREENING_OBSERVATIONS), suggests }))
    .max(SCREENING_LIMITS.observations),
  expectedVersion: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      'Optimistic concurrency: the version the edit started from (0 while the defaults apply); 409 if it changed',
    ),
});
export type PutScreeningConfigRequest = z.infer<typeof putScreeningConfigRequestSchema>;

export const putScreeningConfigExample: PutScreeningConfigRequest = {
  callTypes: [{ term: 'welfare-check', suggests: 'mental-health' }],
  keywords: [
    { term: 'suicid', suggests: 'mental-health' },
    { term: 'narcan', suggests: 'narcotics' },
  ],
  phrases: [{ term: 'section 12', suggests: 'mental-health' }],
  observations: [{ observation: 'overdose', suggests: 'narcotics' }],
  expectedVersion: 0,
};
