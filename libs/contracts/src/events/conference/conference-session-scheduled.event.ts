import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema } from '../../common.schemas';

export const conferenceSessionScheduledData = z.strictObject({
  sessionId: idSchema,
  seriesId: idSchema,
  seriesKind: z
    .enum(['hub', 'ccit', 'clear', 'stakeholder', 'cross-training', 'custom'])
    .describe('hub, ccit and clear discuss cases; stakeholder meetings and cross-trainings may take none'),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  caseCapacity: z.number().int().min(0).describe('cases the session can take; 0 for a meeting that discusses none'),
  memberAgencyIds: z.array(idSchema),
  status: z.enum(['scheduled', 'cancelled', 'rescheduled']),
  sequence: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('iCalendar SEQUENCE of the session: raised on every change of time, place, capacity or status'),
});

export const conferenceSessionScheduled = defineEvent({
  type: 'cit.conference.session-scheduled.v1',
  topic: 'cit.conference.v1',
  aggregate: 'conference-session',
  producer: 'conference',
  summary: 'A case conference session was scheduled, rescheduled or cancelled.',
  data: conferenceSessionScheduledData,
  example: {
    sessionId: 'ses_01JD8Z7F7G8H9J0K1L2M3N4P5Q',
    seriesId: 'ser-weekly-hub',
    seriesKind: 'hub',
    startsAt: '2026-12-02T10:00:00-05:00',
    endsAt: '2026-12-02T11:30:00-05:00',
    caseCapacity: 6,
    memberAgencyIds: ['metro-mobile-crisis', 'harbor-recovery', 'northside-housing'],
    status: 'scheduled',
    sequence: 0,
  },
});
export type ConferenceSessionScheduled = z.infer<typeof conferenceSessionScheduledData>;
