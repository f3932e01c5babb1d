import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema } from '../../common.schemas';
import { referralOutcomeSchema, referralStatusSchema } from './referral-status.schemas';

export const referralStatusChangedData = z.strictObject({
  referralId: idSchema,
  agencyId: idSchema,
  caseId: idSchema.optional(),
  from: referralStatusSchema,
  to: referralStatusSchema,
  changedBy: z.enum(['department', 'partner', 'system']),
  reasonCode: z.string().min(1).max(64).optional(),
  outcome: referralOutcomeSchema.optional(),
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
  },
});
export type ReferralStatusChanged = z.infer<typeof referralStatusChangedData>;
