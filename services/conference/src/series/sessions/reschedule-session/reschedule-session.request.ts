import { z } from 'zod';
import { durationSchema, locationSchema, meetingUrlSchema, wallClockSchema } from '../../series.schemas';

/** POST /v1/sessions/{id}/reschedule: a new local start (series zone), optionally a new length and place. */
export const rescheduleSessionRequestSchema = z.strictObject({
  startsAt: wallClockSchema.describe("new local start in the series' time zone, e.g. 2026-12-29T10:00"),
  durationMinutes: durationSchema.optional().describe("default: the session's current length"),
  location: locationSchema.nullable().optional(),
  meetingUrl: meetingUrlSchema.nullable().optional(),
  expectedSequence: z.number().int().min(0).optional().describe('409 if the session changed since it was read'),
});
export type RescheduleSessionRequest = z.infer<typeof rescheduleSessionRequestSchema>;
