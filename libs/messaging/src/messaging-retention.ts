import { systemScopeTransaction } from '@cit/persistence';
import type { DataSource } from 'typeorm';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long messaging rows are kept and how they are deleted. */
export interface MessagingRetentionOptions {
  /** Published outbox rows older than this (by published_at) are deleted (default 7 days). */
  publishedOutboxMaxAgeMs?: number;
  /**
   * Inbox rows older than this (by processed_at) are deleted (default 30 days). Must be
   * longer than the retention of every topic the service consumes: an event still on a
   * topic can be redelivered (rebalance, offset reset, new group), and once its inbox row
   * is gone it would be applied a second time.
   */
  inboxMaxAgeMs?: number;
  /** Rows per DELETE statement (default 1000): short transactions, short locks. */
  batchSize?: number;
  /** DELETE statements per table and run at most (default 100); the rest waits for the next run. */
  maxBatchesPerRun?: number;
  /** How often the relay leader runs retention (default 10 minutes). */
  intervalMs?: number;
}

/** Retention defaults: published outbox rows 7 days, inbox rows 30 days, batches of 1000. */
export const MESSAGING_RETENTION_DEFAULTS: Required<MessagingRetentionOptions> = {
  publishedOutboxMaxAgeMs: 7 * DAY_MS,
  inboxMaxAgeMs: 30 * DAY_MS,
  batchSize: 1000,
  maxBatchesPerRun: 100,
  intervalMs: 10 * 60 * 1000,
};

/** Rows one retention run deleted, and the size of every DELETE it issued. */
export interface RetentionResult {
  outboxDeleted: number;
  inboxDeleted: number;
  batches: { table: 'outbox' | 'inbox'; deleted: number }[];
}

/**
 * Deletes published outbox rows and inbox rows past their age, in bounded batches. Pending
 * and set-aside (failed) outbox rows are never deleted, whatever their age.
 */
export async function purgeMessagingTables(
  dataSource: DataSource,
  options: MessagingRetentionOptions = {},
): Promise<RetentionResult> {
  const o = { ...MESSAGING_RETENTION_DEFAULTS, ...options };
  const result: RetentionResult = { outboxDeleted: 0, inboxDeleted: 0, batches: [] };
  // ctid IN (… LIMIT n): PostgreSQL has no DELETE … LIMIT; this bounds each statement.
  const tables = [
    {
      table: 'outbox' as const,
      sql: `DELETE FROM outbox WHERE ctid IN (
              SELECT ctid FROM outbox WHERE status = 'published' AND published_at < now() - make_interval(secs => $1::double precision / 1000) LIMIT $2)`,
      maxAgeMs: o.publishedOutboxMaxAgeMs,
    },
    {
      table: 'inbox' as const,
      sql: `DELETE FROM inbox WHERE ctid IN (
              SELECT ctid FROM inbox WHERE processed_at < now() - make_interval(secs => $1::double precision / 1000) LIMIT $2)`,
      maxAgeMs: o.inboxMaxAgeMs,
    },
  ];
  for (const { table, sql, maxAgeMs } of tables) {
    for (let i = 0; i < o.maxBatchesPerRun; i++) {
      // TypeORM returns [rows, affected] for DELETE on postgres.
      // Every department's rows, under retention's own system scope, one short transaction per batch.
      const [, deleted] = (await systemScopeTransaction(dataSource, 'messaging-retention', (m) =>
        m.query(sql, [maxAgeMs, o.batchSize]),
      )) as [unknown[], number];
      result.batches.push({ table, deleted });
      if (table === 'outbox') result.outboxDeleted += deleted;
      else result.inboxDeleted += deleted;
      if (deleted < o.batchSize) break;
    }
  }
  return result;
}
