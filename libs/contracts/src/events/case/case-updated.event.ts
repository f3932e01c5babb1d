import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema, riskLevelSchema } from '../../common.schemas';
import { caseStatusSchema } from './case-status.schemas';

export const caseUpdatedData = z.strictObject({
  caseId: idSchema,
  personId: idSchema,
  status: caseStatusSchema,
  previousStatus: caseStatusSchema,
  riskLevel: riskLevelSchema,
  assignedTo: idSchema.optional(),
  lastContactAt: z.iso.datetime({ offset: true }).optional(),
  changedFields: z.array(z.string().min(1).max(64)).min(1),
  updatedBy: idSchema,
});

export const caseUpdated = defineEvent({
  type: 'cit.case.updated.v1',
  topic: 'cit.case.v1',
  aggregate: 'case',
  producer: 'triage',
  summary: 'A case changed status, assignment, risk or recorded a contact.',
  data: caseUpdatedData,
  example: {
    caseId: 'case_01JD8Z7B3C4D5E6F7G8H9J0K1L',
    personId: 'per_01JD8Z6Q3N4G6J8K0L2M4N6P8Q',
    status: 'in-contact',
    previousStatus: 'open',
    riskLevel: 'routine',
    assignedTo: 'coordinator-0311',
    lastContactAt: '2026-11-28T10:30:00-05:00',
    changedFields: ['status', 'lastContactAt', 'riskLevel'],
    updatedBy: 'coordinator-0311',
  },
});
export type CaseUpdated = z.infer<typeof caseUpdatedData>;
