import { z } from 'zod';

/** GET /v1/training/roster: the department's CIT-trained officers or provider staff. */
export const trainingRosterQuerySchema = z.strictObject({
  traineeKind: z.enum(['officer', 'provider-staff']),
  since: z.iso.date().optional().describe('only trainings completed on or after this date (YYYY-MM-DD, UTC)'),
});
export type TrainingRosterQuery = z.infer<typeof trainingRosterQuerySchema>;
