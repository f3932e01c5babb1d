import type { ReminderKind, ReminderState, ReminderTargetType } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import { idempotencyKey, reminderId, type AwaitedStatus } from './domain/reminder-plans';
import type { ReminderToEnqueue } from './reminder-queues';

/** A reminder occurrence to create (ids and codes only). */
export interface ReminderDraft {
  departmentId: string;
  kind: ReminderKind;
  subjectId: string;
  occurrence: number;
  /** Distinguishes reminders of one subject and occurrence (target, offset, awaited status). */
  detail?: string;
  step?: number;
  caseId?: string;
  referralId?: string;
  sessionId?: string;
  actionItemId?: string;
  mouId?: string;
  agencyId?: string;
  awaitedStatus?: AwaitedStatus;
  targetType: ReminderTargetType;
  targetId: string;
  dueAt: Date;
  nominalAt?: Date;
  correlationId: string;
}

/** A reminder row as the worker and the API read it. */
export interface ReminderRow {
  id: string;
  department_id: string;
  kind: ReminderKind;
  occurrence: number;
  step: number;
  subject_id: string;
  case_id: string | null;
  referral_id: string | null;
  session_id: string | null;
  action_item_id: string | null;
  mou_id: string | null;
  agency_id: string | null;
  awaited_status: AwaitedStatus | null;
  target_type: ReminderTargetType;
  target_id: string;
  due_at: Date;
  nominal_at: Date;
  state: ReminderState;
  fired_at: Date | null;
  late: boolean | null;
  lateness_ms: number | null;
  escalated: boolean;
  correlation_id: string;
  idempotency_key: string;
}

const COLUMNS = [
  'id',
  'department_id',
  'kind',
  'idempotency_key',
  'occurrence',
  'step',
  'subject_id',
  'case_id',
  'referral_id',
  'session_id',
  'action_item_id',
  'mou_id',
  'agency_id',
  'awaited_status',
  'target_type',
  'target_id',
  'due_at',
  'nominal_at',
  'correlation_id',
] as const;

/**
 * Inserts reminder occurrences (set-based, one statement per 500); an occurrence whose
 * idempotency key exists is left as it is. Returns the rows inserted, to enqueue.
 */
export async function insertReminders(
  em: EntityManager,
  drafts: readonly ReminderDraft[],
): Promise<ReminderToEnqueue[]> {
  const inserted: ReminderToEnqueue[] = [];
  for (let i = 0; i < drafts.length; i += 500) {
    const chunk = drafts.slice(i, i + 500);
    const params: unknown[] = [];
    const tuples = chunk.map((d) => {
      const key = idempotencyKey(d.kind, d.subjectId, d.occurrence, d.detail);
      const values = [
        reminderId(d.departmentId, key),
        d.departmentId,
        d.kind,
        key,
        d.occurrence,
        d.step ?? 0,
        d.subjectId,
        d.caseId ?? null,
        d.referralId ?? null,
        d.sessionId ?? null,
        d.actionItemId ?? null,
        d.mouId ?? null,
        d.agencyId ?? null,
        d.awaitedStatus ?? null,
        d.targetType,
        d.targetId,
        d.dueAt,
        d.nominalAt ?? d.dueAt,
        d.correlationId,
      ];
      const start = params.length;
      params.push(...values);
      return `(${values.map((_, j) => `$${start + j + 1}`).join(', ')})`;
    });
    const rows: Array<{ id: string; department_id: string; due_at: Date }> = await em.query(
      `INSERT INTO reminder (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
       ON CONFLICT (department_id, idempotency_key) DO NOTHING RETURNING id, department_id, due_at`,
      params,
    );
    inserted.push(...rows.map((r) => ({ id: r.id, departmentId: r.department_id, dueAt: new Date(r.due_at) })));
  }
  return inserted;
}

/** Moves a subject's scheduled reminders (optionally of some kinds) to cancelled or superseded; returns their ids. */
export async function endScheduled(
  em: EntityManager,
  departmentId: string,
  where: {
    subjectId?: string;
    caseId?: string;
    sessionId?: string;
    kinds?: readonly ReminderKind[];
    awaitedStatus?: AwaitedStatus;
  },
  state: Extract<ReminderState, 'cancelled' | 'superseded'>,
): Promise<string[]> {
  const conditions = [`department_id = $1`, `state = 'scheduled'`];
  const params: unknown[] = [departmentId, state];
  if (where.subjectId) conditions.push(`subject_id = $${params.push(where.subjectId)}`);
  if (where.caseId) conditions.push(`case_id = $${params.push(where.caseId)}`);
  if (where.sessionId) conditions.push(`session_id = $${params.push(where.sessionId)}`);
  if (where.kinds) conditions.push(`kind = ANY($${params.push(where.kinds)})`);
  if (where.awaitedStatus) conditions.push(`awaited_status = $${params.push(where.awaitedStatus)}`);
  const [rows]: [Array<{ id: string }>, number] = await em.query(
    `UPDATE reminder SET state = $2, updated_at = now() WHERE ${conditions.join(' AND ')} RETURNING id`,
    params,
  );
  return rows.map((r) => r.id);
}
