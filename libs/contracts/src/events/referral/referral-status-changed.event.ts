import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema, urgencySchema } from '../../common.schemas';
import {
  referralOutcomeSchema,
  referralReasonSchema,
  referralSlaSchema,
  referralStatusSchema,
} from './referral-status.schemas';

export const referralStatusChangedData = z.strictObject({
  referralId: idSchema,
  agencyId: idSchema,
  caseId: idSchema.optional(),
  from: referralStatusSchema,
  to: referralStatusSchema,
  changedBy: z.enum(['department', 'partner', 'system']),
  reasonCode: referralReasonSchema.optional(),
  outcome: referralOutcomeSchema.optional().describe('set when to = completed or failed'),
  urgency: urgencySchema.optional(),
  sla: referralSlaSchema
    .optional()
    .describe('deadlines still open after this change; absent once accepted or in a final state'),
  reroutedTo: idSchema.optional().describe('the referral created for the next candidate, when re-routed'),
  changedAt: z.iso.datetime({ offset: true }).optional(),
});

export const referralStatusChanged = defineEvent({
  type: 'cit.referral.status-changed.v1',
  topic: 'cit.referral.v1',
  aggregate: 'referral',
  producer: 'referral',
  summary: 'A referral moved through its lifecycle (FHIR Task.status).',
  data: referralStatusChangedData,
  example: {
    referralId: 'ref_01JD8Z7D5E6F7G8H9J0K1L2M3N',
    agencyId: 'metro-mobile-crisis',
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    from: 'in-progress',
    to: 'completed',
    changedBy: 'partner',
    outcome: 'got-help',
    urgency: 'urgent',
    changedAt: '2026-11-28T16:00:00-05:00',
  },
});
export type ReferralStatusChanged = z.infer<typeof referralStatusChangedData>;
