import { z } from 'zod';
import { timeZoneSchema } from '../../settings/conference-settings';
import {
  capacitySchema,
  cutoffHoursSchema,
  durationSchema,
  locationSchema,
  meetingUrlSchema,
  rruleSchema,
  seriesMembersSchema,
  titleSchema,
  wallClockSchema,
} from '../series.schemas';

/**
 * PATCH /v1/series/{id}: the fields to change (members replace the whole list; null clears
 * location or meetingUrl). The kind of a series never changes. Applies to future sessions.
 */
export const updateSeriesRequestSchema = z
  .strictObject({
    expectedVersion: z.number().int().min(1).describe('the version the edit started from; 409 if it changed'),
    title: titleSchema.optional(),
    rrule: rruleSchema.optional(),
    firstOccurrence: wallClockSchema.optional(),
    timeZone: timeZoneSchema.optional(),
    durationMinutes: durationSchema.optional(),
    location: locationSchema.nullable().optional(),
    meetingUrl: meetingUrlSchema.nullable().optional(),
    members: seriesMembersSchema.optional(),
    caseCapacity: capacitySchema.optional(),
    nominationCutoffHours: cutoffHoursSchema.optional(),
  })
  .refine((b) => Object.keys(b).some((k) => k !== 'expectedVersion'), {
    message: 'name at least one field to change',
    path: ['(body)'],
  });
export type UpdateSeriesRequest = z.infer<typeof updateSeriesRequestSchema>;

export const updateSeriesExample: UpdateSeriesRequest = {
  expectedVersion: 1,
  rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU',
  caseCapacity: 8,
};
