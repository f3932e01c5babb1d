import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema, riskLevelSchema } from '../../common.schemas';
import {
  caseStatusSchema,
  contactPreferenceFlagsSchema,
  outreachChannelSchema,
  outreachOutcomeSchema,
} from './case-status.schemas';

/** An outreach contact logged on the case (codes and ids only; notes stay encrypted in triage). */
export const caseContactLoggedSchema = z.strictObject({
  contactId: idSchema,
  outcome: outreachOutcomeSchema,
  channel: outreachChannelSchema,
  /** When the contact happened (reminders count the next one from here when it was made). */
  contactedAt: z.iso.datetime({ offset: true }),
  contactedBy: idSchema,
});

export const caseUpdatedData = z.strictObject({
  caseId: idSchema,
  personId: idSchema,
  status: caseStatusSchema,
  previousStatus: caseStatusSchema,
  riskLevel: riskLevelSchema,
  assignedTo: idSchema.optional(),
  /** Last contact that reached the person (outcome made), if any. */
  lastContactAt: z.iso.datetime({ offset: true }).optional(),
  /** Present when this update logged an outreach contact. */
  contactLogged: caseContactLoggedSchema.optional(),
  /** An incident that joined the case (repeat contact). */
  incidentJoined: idSchema.optional(),
  /** The person the case belonged to before a person merge or unmerge moved it. */
  previousPersonId: idSchema.optional(),
  contactPreference: contactPreferenceFlagsSchema,
  changedFields: z.array(z.string().min(1).max(64)).min(1),
  updatedAt: z.iso.datetime({ offset: true }),
  updatedBy: idSchema,
});

export const caseUpdated = defineEvent({
  type: 'cit.case.updated.v1',
  topic: 'cit.case.v1',
  aggregate: 'case',
  producer: 'triage',
  summary:
    'A case changed status, assignment, risk, person or contact preference, joined an incident, or logged a contact.',
  data: caseUpdatedData,
  example: {
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    personId: 'per_01JD8Z6Q3N4G6J8K0L2M4N6P8Q',
    status: 'in-contact',
    previousStatus: 'open',
    riskLevel: 'routine',
    assignedTo: 'coordinator-0311',
    lastContactAt: '2026-11-28T10:30:00-05:00',
    contactLogged: {
      contactId: 'cct_01JD8Z9A1B2C3D4E5F6G7H8J9K',
      outcome: 'made',
      channel: 'home-visit',
      contactedAt: '2026-11-28T10:30:00-05:00',
      contactedBy: 'coordinator-0311',
    },
    contactPreference: { doNotContact: false },
    changedFields: ['status', 'lastContactAt', 'contacts'],
    updatedAt: '2026-11-28T10:41:00-05:00',
    updatedBy: 'coordinator-0311',
  },
});
export type CaseUpdated = z.infer<typeof caseUpdatedData>;
