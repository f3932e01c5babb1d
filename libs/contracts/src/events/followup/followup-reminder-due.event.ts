import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema } from '../../common.schemas';
import { reminderKindSchema, reminderTargetTypeSchema } from './followup-codes.schemas';

// The reminder codes are part of this contract's public surface (kinds, targets, states).
export * from './followup-codes.schemas';

export const followupReminderDueData = z.strictObject({
  reminderId: idSchema,
  occurrence: z.number().int().positive(),
  kind: reminderKindSchema,
  caseId: idSchema.optional(),
  referralId: idSchema.optional(),
  actionItemId: idSchema.optional(),
  assigneeId: idSchema.optional(),
  dueAt: z.iso.datetime({ offset: true }),
  sessionId: idSchema.optional().describe('conference session the reminder is about'),
  mouId: idSchema.optional(),
  agencyId: idSchema.optional(),
  targetType: reminderTargetTypeSchema.optional().describe('who is reminded: user, unit or agency (targetId)'),
  targetId: idSchema.optional(),
  firedAt: z.iso.datetime({ offset: true }).optional(),
  late: z.boolean().optional().describe('fired more than the tolerance after dueAt (e.g. scheduled in the past)'),
});

export const followupReminderDue = defineEvent({
  type: 'cit.followup.reminder-due.v1',
  topic: 'cit.followup.v1',
  aggregate: 'reminder',
  producer: 'followup',
  summary: 'A follow-up reminder became due for its assignee.',
  data: followupReminderDueData,
  example: {
    reminderId: 'rem_01JD8Z7J0K1L2M3N4P5Q6R7S8T',
    occurrence: 2,
    kind: 'case-contact',
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    assigneeId: 'coordinator-0311',
    dueAt: '2026-11-30T08:00:00-05:00',
    targetType: 'user',
    targetId: 'coordinator-0311',
    firedAt: '2026-11-30T08:00:00.112-05:00',
    late: false,
  },
});
export type FollowupReminderDue = z.infer<typeof followupReminderDueData>;
