import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema, riskLevelSchema } from '../../common.schemas';
import { caseSourceSchema, contactPreferenceFlagsSchema } from './case-status.schemas';

export const followUpCadenceSchema = z
  .array(z.string().regex(/^P(\d+D)?(T\d+H)?$/, 'ISO 8601 duration in days/hours, e.g. PT24H, P7D'))
  .min(1)
  .max(20)
  .describe(
    'Waits before each contact reminder, counted from the case opening or the previous reminder (a logged contact restarts the count); the last repeats until the case closes',
  );

export const caseOpenedData = z.strictObject({
  caseId: idSchema,
  personId: idSchema,
  /** Incidents that led to the case; empty for a case opened by hand without one (e.g. re-entry outreach). */
  incidentIds: z.array(idSchema).max(100),
  triageId: idSchema.optional(),
  source: caseSourceSchema,
  riskLevel: riskLevelSchema,
  assignedTo: idSchema.optional(),
  cadence: followUpCadenceSchema,
  /** Department time zone (IANA) the cadence is counted in, for business-hours reminders. */
  timeZone: z.string().min(1).max(64).optional(),
  contactPreference: contactPreferenceFlagsSchema,
  openedAt: z.iso.datetime({ offset: true }),
  openedBy: idSchema,
});

export const caseOpened = defineEvent({
  type: 'cit.case.opened.v1',
  topic: 'cit.case.v1',
  aggregate: 'case',
  producer: 'triage',
  summary: 'A care-coordination case was opened for a person; reminders follow its cadence.',
  data: caseOpenedData,
  example: {
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    personId: 'per_01JD8Z6Q3N4G6J8K0L2M4N6P8Q',
    incidentIds: ['inc_01JD8Z6Q3KX7C2V9M4T5R8N1PA'],
    triageId: 'tri_01JD8Z7A1B2C3D4E5F6G7H8J9K',
    source: 'triage',
    riskLevel: 'urgent',
    assignedTo: 'coordinator-0311',
    cadence: ['PT24H', 'PT72H', 'P7D', 'P7D'],
    timeZone: 'America/New_York',
    contactPreference: { doNotContact: false },
    openedAt: '2026-11-27T08:02:00-05:00',
    openedBy: 'triage',
  },
});
export type CaseOpened = z.infer<typeof caseOpenedData>;
