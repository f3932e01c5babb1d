import { z } from 'zod';
import { isValidTimeZone } from '../series/domain/recurrence';

/** An IANA zone name luxon knows (America/New_York); offsets and abbreviations are refused. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, { message: 'must be an IANA time zone such as America/New_York' });

/** A department's conference settings as an admin edits them. */
export const conferenceSettingsSchema = z.strictObject({
  timeZone: timeZoneSchema.describe('IANA zone the department meets in; the default zone of new series'),
  horizonWeeks: z
    .number()
    .int()
    .min(1)
    .max(104)
    .default(12)
    .describe('how many weeks ahead sessions are generated (rolling horizon)'),
  familyFormEnabled: z.boolean().default(false).describe('whether the public family nomination form is open'),
});
export type ConferenceSettings = z.infer<typeof conferenceSettingsSchema>;

/** Settings as stored, with their version. */
export interface StoredConferenceSettings extends ConferenceSettings {
  version: number;
  updatedAt: Date;
  updatedBy: string;
}
