import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema } from '../../common.schemas';
import { reminderKindSchema } from './followup-codes.schemas';

export const followupEscalatedData = z.strictObject({
  reminderId: idSchema,
  occurrence: z.number().int().positive(),
  kind: reminderKindSchema,
  caseId: idSchema.optional(),
  referralId: idSchema.optional(),
  agencyId: idSchema.optional().describe('the agency that missed the deadline (referral SLA)'),
  dueAt: z.iso.datetime({ offset: true }).optional().describe('the deadline that passed'),
  level: z.number().int().positive(),
  escalatedTo: z.enum(['supervisor', 'rerouting', 'program-admin']),
  reason: z.enum(['overdue', 'sla-not-received', 'sla-not-accepted', 'repeated-no-contact']),
});

export const followupEscalated = defineEvent({
  type: 'cit.followup.escalated.v1',
  topic: 'cit.followup.v1',
  aggregate: 'reminder',
  producer: 'followup',
  summary: 'An overdue reminder or SLA breach was escalated.',
  data: followupEscalatedData,
  example: {
    reminderId: 'rem_01JD8Z7J0K1L2M3N4P5Q6R7S8T',
    occurrence: 2,
    kind: 'referral-sla',
    referralId: 'ref_01JD8Z7D5E6F7G8H9J0K1L2M3N',
    level: 1,
    escalatedTo: 'rerouting',
    reason: 'sla-not-accepted',
  },
});
export type FollowupEscalated = z.infer<typeof followupEscalatedData>;
