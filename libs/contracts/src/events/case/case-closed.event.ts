import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema } from '../../common.schemas';
import { caseClosedStatusSchema } from './case-status.schemas';

export const caseClosedData = z.strictObject({
  caseId: idSchema,
  personId: idSchema,
  /** The closing status (stabilized, connected-to-long-term-services, closed-no-contact, transferred). */
  outcome: caseClosedStatusSchema,
  previousStatus: z.enum(['open', 'in-contact']),
  closedAt: z.iso.datetime({ offset: true }),
  closedBy: idSchema,
  transferredToAgencyId: idSchema.optional(),
});

export const caseClosed = defineEvent({
  type: 'cit.case.closed.v1',
  topic: 'cit.case.v1',
  aggregate: 'case',
  producer: 'triage',
  summary: 'A case was closed with its outcome status; reminders for it stop and open referrals may be cancelled.',
  data: caseClosedData,
  example: {
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    personId: 'per_01JD8Z6Q3N4G6J8K0L2M4N6P8Q',
    outcome: 'connected-to-long-term-services',
    previousStatus: 'in-contact',
    closedAt: '2026-12-20T15:00:00-05:00',
    closedBy: 'coordinator-0311',
  },
});
export type CaseClosed = z.infer<typeof caseClosedData>;
