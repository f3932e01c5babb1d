import { systemScopeTransaction } from '@cit/persistence';
import type { DataSource } from 'typeorm';

// Ops look at and release set-aside rows of every department.
const ADMIN_SCOPE = 'outbox-admin';
import { OUTBOX_NOTIFY_CHANNEL } from './messaging-tables.migration';

/** A set-aside outbox row as ops see it (no payload: it may hold PHI). */
export interface FailedOutboxRow {
  id: string;
  seq: string;
  topic: string;
  messageKey: string;
  eventType: string;
  attempts: number;
  lastError: string | null;
  failedAt: Date | null;
  /** Pending rows of the same key held back behind this one. */
  heldBack: number;
}

/** Lists the outbox rows set aside after repeated publish failures, oldest first. */
export async function listFailedOutboxRows(dataSource: DataSource): Promise<FailedOutboxRow[]> {
  const rows: {
    id: string;
    seq: string;
    topic: string;
    message_key: string;
    event_type: string;
    attempts: number;
    last_error: string | null;
    failed_at: Date | null;
    held_back: string;
  }[] = await systemScopeTransaction(dataSource, ADMIN_SCOPE, (m) =>
    m.query(`
    SELECT f.id, f.seq, f.topic, f.message_key, f.event_type, f.attempts, f.last_error, f.failed_at,
           (SELECT count(*) FROM outbox p WHERE p.status = 'pending' AND p.message_key = f.message_key AND p.seq > f.seq) AS held_back
      FROM outbox f WHERE f.status = 'failed' ORDER BY f.seq`),
  );
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    topic: r.topic,
    messageKey: r.message_key,
    eventType: r.event_type,
    attempts: r.attempts,
    lastError: r.last_error,
    failedAt: r.failed_at,
    heldBack: Number(r.held_back),
  }));
}

/** Which set-aside rows to retry: the given ids, or all of them. */
export type RetryFailedSelection = { ids: readonly string[] } | { all: true };

/**
 * Puts set-aside outbox rows back to pending with their attempts reset, and wakes the
 * relay; returns how many rows were released. Fix the cause first (create the topic,
 * raise the size limit), or they are set aside again after the same number of attempts.
 */
export async function retryFailedOutboxRows(dataSource: DataSource, selection: RetryFailedSelection): Promise<number> {
  const byIds = 'ids' in selection;
  if (byIds && selection.ids.length === 0) return 0;
  return systemScopeTransaction(dataSource, ADMIN_SCOPE, async (manager) => {
    const [, released] = (await manager.query(
      `UPDATE outbox SET status = 'pending', attempts = 0, failed_at = NULL
        WHERE status = 'failed' ${byIds ? 'AND id = ANY($1::uuid[])' : ''}`,
      byIds ? [selection.ids] : [],
    )) as [unknown[], number];
    // Delivered at commit, like the insert trigger's notification.
    if (released > 0) await manager.query('SELECT pg_notify($1, $2)', [OUTBOX_NOTIFY_CHANNEL, '']);
    return released;
  });
}
