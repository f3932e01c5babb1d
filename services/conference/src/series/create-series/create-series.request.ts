import { z } from 'zod';
import { timeZoneSchema } from '../../settings/conference-settings';
import {
  capacitySchema,
  cutoffHoursSchema,
  durationSchema,
  locationSchema,
  meetingUrlSchema,
  rruleSchema,
  seriesKindSchema,
  seriesMembersSchema,
  seriesShapeIssues,
  titleSchema,
  wallClockSchema,
} from '../series.schemas';

/** POST /v1/series: a recurring conference or program meeting. */
export const createSeriesRequestSchema = z
  .strictObject({
    kind: seriesKindSchema,
    title: titleSchema,
    rrule: rruleSchema.describe(
      'RFC 5545 RRULE without DTSTART/TZID, e.g. FREQ=WEEKLY;BYDAY=TU or FREQ=MONTHLY;BYDAY=-1TH',
    ),
    firstOccurrence: wallClockSchema.describe('local start of the first occurrence, e.g. 2026-12-08T10:00'),
    timeZone: timeZoneSchema.optional().describe("IANA zone; default the department's (GET /v1/settings)"),
    durationMinutes: durationSchema,
    location: locationSchema.optional(),
    meetingUrl: meetingUrlSchema.optional(),
    members: seriesMembersSchema,
    caseCapacity: capacitySchema,
    nominationCutoffHours: cutoffHoursSchema,
  })
  .superRefine((s, ctx) => {
    for (const i of seriesShapeIssues(s)) ctx.addIssue({ code: 'custom', message: i.message, path: [i.path] });
  });
export type CreateSeriesRequest = z.infer<typeof createSeriesRequestSchema>;

export const createSeriesExample: CreateSeriesRequest = {
  kind: 'hub',
  title: 'Eastside HUB table',
  rrule: 'FREQ=WEEKLY;BYDAY=TU',
  firstOccurrence: '2026-12-08T10:00',
  timeZone: 'America/New_York',
  durationMinutes: 90,
  location: 'Eastside precinct, room 4',
  members: [
    { agencyId: 'metro-mobile-crisis', role: 'chair' },
    { agencyId: 'harbor-recovery', role: 'member' },
  ],
  caseCapacity: 6,
  nominationCutoffHours: 48,
};
