import { createHash } from 'node:crypto';
import { purposeOfUseSchema, type PurposeOfUse } from '@cit/contracts';
import { z } from 'zod';

/** What was done to the record. */
export const AUDIT_ACTIONS = [
  'read',
  'create',
  'update',
  'merge',
  'unmerge',
  'decide',
  'import',
  'export',
  'decrypt',
] as const;
/** Runtime schema of AuditAction. */
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
/** What was done to the record. */
export type AuditAction = z.infer<typeof auditActionSchema>;

/** Whether the access happened or was refused (a refused break-glass is recorded too). */
export const auditOutcomeSchema = z.enum(['success', 'denied']);

// Ids and field names only: nothing here may hold a PHI value.
const recordIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/);
const fieldNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z][A-Za-z0-9_.[\]-]*$/);

/** Who: the authenticated caller, or the service itself for work outside a request. */
export const auditActorSchema = z.strictObject({
  subject: z.string().min(1).max(256),
  kind: z.enum(['staff', 'partner', 'system']),
  roles: z.array(z.string().min(1).max(32)).max(16),
  agencyId: z.string().min(1).max(128).optional(),
});
/** Who accessed PHI. */
export type AuditActor = z.infer<typeof auditActorSchema>;

/** Why, from where and for which department: the same for every entry of one request. */
export const auditContextSchema = z.strictObject({
  departmentId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/),
  actor: auditActorSchema,
  purpose: purposeOfUseSchema,
  requestId: z.string().max(128).nullable(),
  correlationId: z.string().max(128).nullable(),
  clientAddress: z.string().max(64).nullable(),
  /** Free text stated for break-glass; stored only encrypted, never logged or published. */
  breakGlassReason: z.string().min(1).max(1000).optional(),
});
/** Why, from where and for which department. */
export type AuditContext = z.infer<typeof auditContextSchema>;

/** What: one access to one record. */
export const auditEntryInputSchema = z.strictObject({
  action: auditActionSchema,
  recordType: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/),
  recordId: recordIdSchema,
  personIds: z.array(recordIdSchema).max(500).default([]),
  fields: z.array(fieldNameSchema).max(200).default([]),
  outcome: auditOutcomeSchema.default('success'),
});
/** What: one access to one record (as callers write it). */
export type AuditEntryInput = z.input<typeof auditEntryInputSchema>;

/** One stored entry of the chain, exactly the columns of audit_log. */
export interface AuditRecord {
  id: string;
  departmentId: string;
  seq: number;
  occurredAt: Date;
  actorSubject: string;
  actorKind: AuditActor['kind'];
  actorRoles: string[];
  actorAgencyId: string | null;
  purpose: PurposeOfUse;
  action: AuditAction;
  recordType: string;
  recordId: string;
  personIds: string[];
  fields: string[];
  outcome: z.infer<typeof auditOutcomeSchema>;
  requestId: string | null;
  correlationId: string | null;
  clientAddress: string | null;
  reasonCiphertext: string | null;
  prevHash: string;
  hash: string;
}

/** prev_hash of the first entry of a department's chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Version tag of the canonical form; a new form gets a new tag and old entries keep theirs. */
const CANONICAL_VERSION = 'cit-audit-v1';

/**
 * The canonical serialization an entry's hash is computed over: a JSON array in a fixed
 * column order (no key ordering to disagree on), every column of the row except hash.
 */
export function canonicalAuditEntry(r: Omit<AuditRecord, 'hash'>): string {
  return JSON.stringify([
    CANONICAL_VERSION,
    r.id,
    r.departmentId,
    r.seq,
    r.occurredAt.toISOString(),
    r.actorSubject,
    r.actorKind,
    r.actorRoles,
    r.actorAgencyId,
    r.purpose,
    r.action,
    r.recordType,
    r.recordId,
    r.personIds,
    r.fields,
    r.outcome,
    r.requestId,
    r.correlationId,
    r.clientAddress,
    r.reasonCiphertext,
    r.prevHash,
  ]);
}

/** SHA-256 (hex) of the canonical serialization, which includes the previous entry's hash. */
export function auditEntryHash(r: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalAuditEntry(r), 'utf8').digest('hex');
}
