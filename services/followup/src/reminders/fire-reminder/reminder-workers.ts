import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { createLogger } from '@cit/observability';
import { SERVICE_ENV, type ServiceEnv } from '@cit/service-kit';
import { DelayedError, Worker, type Job } from 'bullmq';
import { FOLLOWUP_OPTIONS, NOTIFICATION_QUEUE, REMINDER_QUEUE, type FollowupOptions } from '../followup-options';
import { bullConnection, ReminderQueues, type NotificationJobData, type ReminderJobData } from '../reminder-queues';
import { FireReminderService } from './fire-reminder.service';
import { DeliverNotificationService } from '../../notifications/deliver-notification.service';
import { FollowupMetrics } from '../../ops/followup-metrics';

/**
 * The BullMQ workers: one fires reminders, one delivers notifications. Closed before the
 * database (beforeApplicationShutdown), letting in-flight jobs finish.
 */
@Injectable()
export class ReminderWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = createLogger('reminder-workers');
  private workers: Worker[] = [];

  constructor(
    @Inject(SERVICE_ENV) private readonly env: ServiceEnv,
    @Inject(FOLLOWUP_OPTIONS) private readonly options: FollowupOptions,
    private readonly queues: ReminderQueues,
    private readonly fireService: FireReminderService,
    private readonly delivery: DeliverNotificationService,
    private readonly metrics: FollowupMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.workers) this.start();
  }

  start(): void {
    const common = {
      prefix: this.options.queuePrefix,
      lockDuration: this.options.lockDurationMs,
      stalledInterval: this.options.stalledIntervalMs,
      // A job whose worker died is taken over (stalled) rather than failed: firing is idempotent.
      maxStalledCount: 1000,
    };
    const reminders = new Worker<ReminderJobData>(REMINDER_QUEUE, (job, token) => this.fireJob(job, token), {
      ...common,
      connection: bullConnection(this.env.REDIS_URL, `${this.options.queuePrefix}-reminder-worker`),
      concurrency: this.options.concurrency,
      removeOnComplete: { count: 0 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    const notifications = new Worker<NotificationJobData>(NOTIFICATION_QUEUE, (job) => this.deliverJob(job), {
      ...common,
      connection: bullConnection(this.env.REDIS_URL, `${this.options.queuePrefix}-notification-worker`),
      concurrency: this.options.concurrency,
    });
    for (const w of [reminders, notifications]) {
      // Errors carry no PHI (ids and SQLSTATE-level reasons); per-job lines are debug.
      w.on('error', (err) => this.logger.warn({ queue: w.name, err: { message: err.message } }, 'worker error'));
      w.on('failed', (job, err) =>
        this.logger.debug({ queue: w.name, jobId: job?.id, err: { message: err.message } }, 'job attempt failed'),
      );
    }
    this.workers = [reminders, notifications];
  }

  private async fireJob(job: Job<ReminderJobData>, token?: string): Promise<string> {
    const { departmentId } = job.data;
    const reminderId = String(job.id);
    const result = await this.fireService.fire(departmentId, reminderId);
    switch (result.outcome) {
      case 'missing':
        // Enqueued inside a transaction that has not committed yet (or rolled back): try again a
        // few times; the last attempt ends quietly (the reconciler owns any row that appears later).
        if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw new Error('reminder not found (not committed yet?)');
        return 'missing';
      case 'early':
        await job.moveToDelayed(result.dueAt.getTime(), token);
        throw new DelayedError();
      case 'fired':
        this.metrics.lateness.observe({ kind: result.kind }, result.latenessMs / 1000);
        this.metrics.fired.inc({ kind: result.kind, late: String(result.late) });
        // After commit: the next occurrence and the deliveries. A crash here loses neither: the
        // reconciler re-adds scheduled reminders and pending notifications missing from Redis.
        await this.queues.enqueueReminders(result.next);
        await this.queues.enqueueNotifications(result.notifications);
        this.logger.debug({ reminderId, late: result.late }, 'reminder fired');
        return 'fired';
      default:
        return result.outcome;
    }
  }

  private async deliverJob(job: Job<NotificationJobData>): Promise<string> {
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.delivery.deliver(job.data.departmentId, job.data.notificationId, job.attemptsMade + 1, last);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers = [];
  }
}
