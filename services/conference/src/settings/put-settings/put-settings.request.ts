import { z } from 'zod';
import { conferenceSettingsSchema } from '../conference-settings';

/** PUT /v1/settings: the department's complete conference settings. */
export const putSettingsRequestSchema = conferenceSettingsSchema.extend({
  expectedVersion: z
    .number()
    .int()
    .min(0)
    .describe('the version the edit started from (0 for the first save); 409 with the current version if it changed'),
});
export type PutSettingsRequest = z.infer<typeof putSettingsRequestSchema>;

export const putSettingsExample: PutSettingsRequest = {
  timeZone: 'America/New_York',
  horizonWeeks: 12,
  familyFormEnabled: true,
  expectedVersion: 0,
};
