import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { createLogger } from '@cit/observability';
import { systemScopeTransaction } from '@cit/persistence';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { FOLLOWUP_SYSTEM_SCOPES } from '../../migrations/1765100000500-followup-initial';
import { FollowupMetrics } from '../../ops/followup-metrics';
import { FOLLOWUP_OPTIONS, type FollowupOptions } from '../followup-options';
import { ReminderQueues } from '../reminder-queues';

export interface ReconcileResult {
  scanned: number;
  missing: number;
  retried: number;
  notificationsMissing: number;
}

const BATCH = 2000;

/**
 * PostgreSQL is the source of truth; Redis holds derived jobs. At start and on a schedule the
 * reconciler walks every scheduled reminder and pending notification and puts back what Redis
 * lost (flush, restart without persistence, failover): a missing job is added again with the
 * delay left (at once when past due), a job that exhausted its attempts is retried. Firing
 * is guarded by the reminder's state in PostgreSQL, so a job added twice still fires once.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = createLogger('reconciler');
  private timer?: NodeJS.Timeout;
  private running?: Promise<ReconcileResult>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: ReminderQueues,
    private readonly metrics: FollowupMetrics,
    @Inject(FOLLOWUP_OPTIONS) private readonly options: FollowupOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.workers) return;
    void this.reconcile().catch((err: Error) =>
      this.logger.warn({ err: { message: err.message } }, 'reconcile failed'),
    );
    if (this.options.reconcileIntervalMs > 0) {
      this.timer = setInterval(() => {
        void this.reconcile().catch((err: Error) =>
          this.logger.warn({ err: { message: err.message } }, 'reconcile failed'),
        );
      }, this.options.reconcileIntervalMs);
      this.timer.unref();
    }
  }

  /** One pass (a pass already running is joined, not doubled). */
  reconcile(): Promise<ReconcileResult> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<ReconcileResult> {
    const result: ReconcileResult = { scanned: 0, missing: 0, retried: 0, notificationsMissing: 0 };
    let after = '';
    for (;;) {
      const rows: Array<{ id: string; department_id: string; due_at: Date }> = await systemScopeTransaction(
        this.dataSource,
        FOLLOWUP_SYSTEM_SCOPES.reconciler,
        (em) =>
          em.query(
            `SELECT id, department_id, due_at FROM reminder WHERE state = 'scheduled' AND id > $1 ORDER BY id LIMIT $2`,
            [after, BATCH],
          ),
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      result.scanned += rows.length;
      const { missing, failed } = await this.jobPresence(
        this.queues.reminders,
        rows.map((r) => r.id),
      );
      const lost = rows.filter((r) => missing.has(r.id));
      await this.queues.enqueueReminders(
        lost.map((r) => ({ id: r.id, departmentId: r.department_id, dueAt: new Date(r.due_at) })),
      );
      for (const id of failed) {
        await (await this.queues.reminders.getJob(id))?.retry('failed').catch(() => undefined);
      }
      result.missing += lost.length;
      result.retried += failed.size;
    }
    after = '';
    for (;;) {
      const rows: Array<{ id: string; department_id: string }> = await systemScopeTransaction(
        this.dataSource,
        FOLLOWUP_SYSTEM_SCOPES.reconciler,
        (em) =>
          em.query(
            `SELECT id, department_id FROM notification WHERE state = 'pending' AND id > $1 ORDER BY id LIMIT $2`,
            [after, BATCH],
          ),
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      const { missing } = await this.jobPresence(
        this.queues.notifications,
        rows.map((r) => r.id),
      );
      const lost = rows.filter((r) => missing.has(r.id));
      await this.queues.enqueueNotifications(lost.map((r) => ({ id: r.id, departmentId: r.department_id })));
      result.notificationsMissing += lost.length;
    }
    if (result.missing > 0) this.metrics.reconciled.inc({ action: 'missing' }, result.missing);
    if (result.retried > 0) this.metrics.reconciled.inc({ action: 'failed' }, result.retried);
    if (result.notificationsMissing > 0)
      this.metrics.reconciled.inc({ action: 'notification' }, result.notificationsMissing);
    if (result.missing + result.retried + result.notificationsMissing > 0)
      this.logger.info({ ...result }, 'reconciler put jobs back');
    return result;
  }

  /** Which job ids have no job hash in Redis, and which sit in the failed set. */
  private async jobPresence(
    queue: Queue,
    ids: readonly string[],
  ): Promise<{ missing: Set<string>; failed: Set<string> }> {
    // BullMQ types its client narrowly; it is the ioredis client underneath.
    const client = (await queue.client) as unknown as Redis;
    const pipeline = client.pipeline();
    const failedKey = queue.toKey('failed');
    for (const id of ids) {
      pipeline.exists(queue.toKey(id));
      pipeline.zscore(failedKey, id);
    }
    const replies = (await pipeline.exec()) ?? [];
    const missing = new Set<string>();
    const failed = new Set<string>();
    ids.forEach((id, i) => {
      const [existsErr, exists] = replies[2 * i] ?? [];
      const [, score] = replies[2 * i + 1] ?? [];
      if (existsErr) throw existsErr;
      if (exists === 0) missing.add(id);
      else if (score !== null && score !== undefined) failed.add(id);
    });
    return { missing, failed };
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
