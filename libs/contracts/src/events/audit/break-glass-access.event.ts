import { z } from 'zod';
import { defineEvent } from '../../event-definition';
import { idSchema, timestampSchema } from '../../common.schemas';
import { roleNameSchema } from './audit-codes.schemas';

// Ids only: the stated reason is free text (possibly PHI) and stays, encrypted, in the audit
// log; a supervisor reads it there (GET /v1/audit) by the audit entry id.
export const breakGlassAccessData = z.strictObject({
  auditEntryId: z.uuid(),
  service: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,31}$/)
    .describe('the service whose record was opened (intake, triage, ...)'),
  subject: z
    .string()
    .min(1)
    .max(256)
    .describe('the staff member (token subject, an opaque IdP id) who opened the record'),
  roles: z.array(roleNameSchema).min(1),
  recordType: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/),
  recordId: idSchema,
  personIds: z.array(idSchema).max(100),
  occurredAt: timestampSchema,
});

export const breakGlassAccess = defineEvent({
  type: 'cit.audit.break-glass-access.v1',
  topic: 'cit.audit.v1',
  aggregate: 'record',
  producer: 'audit',
  // The audit interceptor of each service publishes it under that service's source.
  emittedByEveryService: true,
  summary:
    'A clinician or supervisor opened a record outside their normal scope with a stated reason (break-glass); for supervisor notification.',
  data: breakGlassAccessData,
  example: {
    auditEntryId: '3f0e4c1a-8b2d-4e6f-9a1b-2c3d4e5f6a7b',
    service: 'intake',
    subject: 'clinician-0192',
    roles: ['clinician'],
    recordType: 'incident',
    recordId: 'inc_0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f',
    personIds: ['per_0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f'],
    occurredAt: '2026-12-01T23:10:00.000Z',
  },
});
export type BreakGlassAccess = z.infer<typeof breakGlassAccessData>;
