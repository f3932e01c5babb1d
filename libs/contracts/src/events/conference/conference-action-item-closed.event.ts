import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema } from '../../common.schemas';

export const conferenceActionItemClosedData = z.strictObject({
  // First: the session is the aggregate, so this event is keyed (and ordered) with the
  // outcome-recorded event that announced the item.
  sessionId: idSchema.describe('the session whose outcome created the action item (the Kafka key)'),
  actionItemId: idSchema,
  outcomeId: idSchema,
  nominationId: idSchema,
  caseId: idSchema,
  ownerAgencyId: idSchema,
  resolution: z
    .enum(['completed', 'cancelled'])
    .describe('completed: the owner agency or program staff reported it done; cancelled: its nomination was withdrawn'),
  closedAt: z.iso.datetime({ offset: true }),
});

export const conferenceActionItemClosed = defineEvent({
  type: 'cit.conference.action-item-closed.v1',
  topic: 'cit.conference.v1',
  aggregate: 'conference-session',
  producer: 'conference',
  summary: 'An action item from a session outcome was completed, or cancelled with its nomination; its reminders stop.',
  data: conferenceActionItemClosedData,
  example: {
    sessionId: 'ses_01JD8Z7F7G8H9J0K1L2M3N4P5Q',
    actionItemId: 'act_01JD8Z7H9J0K1L2M3N4P5Q6R7S',
    outcomeId: 'out_01JD8Z7J0K1L2M3N4P5Q6R7S8T',
    nominationId: 'nom_01JD8Z7G8H9J0K1L2M3N4P5Q6R',
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    ownerAgencyId: 'metro-mobile-crisis',
    resolution: 'completed',
    closedAt: '2026-12-03T15:20:00-05:00',
  },
});
export type ConferenceActionItemClosed = z.infer<typeof conferenceActionItemClosedData>;
