import type { AuditRecord } from './audit-entry';

/** Columns of audit_log in the order AuditTrail inserts them. */
export const AUDIT_COLUMNS = [
  'id',
  'department_id',
  'seq',
  'occurred_at',
  'actor_subject',
  'actor_kind',
  'actor_roles',
  'actor_agency_id',
  'purpose',
  'action',
  'record_type',
  'record_id',
  'person_ids',
  'fields',
  'outcome',
  'request_id',
  'correlation_id',
  'client_address',
  'reason_ciphertext',
  'prev_hash',
  'hash',
] as const;

/** A row of audit_log as the pg driver returns it. */
export type AuditRow = Record<(typeof AUDIT_COLUMNS)[number], unknown>;

/** Maps a driver row (bigint as text, timestamptz as Date) to an AuditRecord. */
export function auditRecordFromRow(row: AuditRow): AuditRecord {
  return {
    id: String(row.id),
    departmentId: String(row.department_id),
    seq: Number(row.seq),
    occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(String(row.occurred_at)),
    actorSubject: String(row.actor_subject),
    actorKind: row.actor_kind as AuditRecord['actorKind'],
    actorRoles: (row.actor_roles as string[] | null) ?? [],
    actorAgencyId: (row.actor_agency_id as string | null) ?? null,
    purpose: row.purpose as AuditRecord['purpose'],
    action: row.action as AuditRecord['action'],
    recordType: String(row.record_type),
    recordId: String(row.record_id),
    personIds: (row.person_ids as string[] | null) ?? [],
    fields: (row.fields as string[] | null) ?? [],
    outcome: row.outcome as AuditRecord['outcome'],
    requestId: (row.request_id as string | null) ?? null,
    correlationId: (row.correlation_id as string | null) ?? null,
    clientAddress: (row.client_address as string | null) ?? null,
    reasonCiphertext: (row.reason_ciphertext as string | null) ?? null,
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
}

/** The values of a record in AUDIT_COLUMNS order, as query parameters. */
export function auditRowValues(r: AuditRecord): unknown[] {
  return [
    r.id,
    r.departmentId,
    r.seq,
    r.occurredAt,
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
    r.hash,
  ];
}
