import { z } from 'zod';
import { DEFAULT_PROGRAM_SETTINGS, programSettingsSchema } from '../program-settings';

/** PUT /v1/program: the department's complete program settings (replaces what was saved). */
export const putProgramRequestSchema = programSettingsSchema.extend({
  expectedVersion: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      'Optimistic concurrency: the version the edit started from (0 while the defaults apply); 409 if it changed',
    ),
});
export type PutProgramRequest = z.infer<typeof putProgramRequestSchema>;

export const putProgramExample: PutProgramRequest = {
  ...DEFAULT_PROGRAM_SETTINGS,
  model: 'social-justice',
  mission: 'Connect residents in crisis with care instead of jail.',
  reviewPolicy: { mode: 'risk-levels', riskLevels: ['urgent', 'routine'] },
  diversionProgram: true,
  expectedVersion: 0,
};
