import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_ENV, type ServiceEnv } from '@cit/service-kit';
import { Queue, type JobsOptions } from 'bullmq';
import { FOLLOWUP_OPTIONS, NOTIFICATION_QUEUE, REMINDER_QUEUE, type FollowupOptions } from './followup-options';
import { bullConnection } from './redis-connection';

export { bullConnection };

/**
 * Job data: ids only, never PHI (BullMQ job data sits in Redis and in Bull Board). The job id
 * is the reminder occurrence's id; the data adds only its department (the tenant to fire under).
 */
export interface ReminderJobData {
  departmentId: string;
}
export interface NotificationJobData {
  departmentId: string;
  notificationId: string;
}

/** A reminder to put on the delayed queue. */
export interface ReminderToEnqueue {
  id: string;
  departmentId: string;
  dueAt: Date;
}

// Completion and failure retention are worker options (ReminderWorkers), not stored per job:
// every byte of a delayed job is multiplied by the million waiting. Completed jobs leave Redis
// (PostgreSQL records the firing); the job id is per occurrence, so no retained job could
// swallow a later occurrence either way.
const REMINDER_JOB: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
};

/** addBulk calls in flight at once when enqueueing many reminders (Redis pipelines each). */
const ENQUEUE_PARALLEL = 4;

/** The reminder and notification queues (producers side); workers live in ReminderWorkers. */
@Injectable()
export class ReminderQueues implements OnApplicationShutdown {
  readonly reminders: Queue<ReminderJobData>;
  readonly notifications: Queue<NotificationJobData>;

  constructor(
    @Inject(SERVICE_ENV) env: ServiceEnv,
    @Inject(FOLLOWUP_OPTIONS) readonly options: FollowupOptions,
  ) {
    const opts = { connection: bullConnection(env.REDIS_URL, 'cit-followup-queues'), prefix: options.queuePrefix };
    this.reminders = new Queue<ReminderJobData>(REMINDER_QUEUE, opts);
    this.notifications = new Queue<NotificationJobData>(NOTIFICATION_QUEUE, opts);
  }

  /** Adds delayed jobs (delay from the due time; past due = now). An existing job with the same id is left alone. */
  async enqueueReminders(rows: readonly ReminderToEnqueue[]): Promise<void> {
    const chunks: ReminderToEnqueue[][] = [];
    for (let i = 0; i < rows.length; i += 1000) chunks.push(rows.slice(i, i + 1000));
    const add = async (): Promise<void> => {
      for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
        // BullMQ fires at timestamp + delay: both from one clock reading per job, so a batch that
        // takes seconds to enqueue does not push its later jobs' due times back.
        const now = Date.now();
        await this.reminders.addBulk(
          chunk.map((r) => ({
            name: 'fire',
            data: { departmentId: r.departmentId },
            opts: { ...REMINDER_JOB, jobId: r.id, timestamp: now, delay: Math.max(0, r.dueAt.getTime() - now) },
          })),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(ENQUEUE_PARALLEL, chunks.length) }, add));
  }

  /** Removes the jobs of cancelled or superseded reminders (best effort: the worker skips them anyway). */
  async removeReminderJobs(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.reminders.remove(id).catch(() => 0)));
  }

  async enqueueNotifications(rows: readonly { id: string; departmentId: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.notifications.addBulk(
      rows.map((n) => ({
        name: 'deliver',
        data: { departmentId: n.departmentId, notificationId: n.id },
        opts: {
          jobId: n.id,
          attempts: this.options.notificationAttempts,
          backoff: { type: 'exponential', delay: this.options.notificationBackoffMs },
          removeOnComplete: true,
          // A failed delivery stays in Redis for ops (Bull Board, npm run ops -- jobs failed).
          removeOnFail: false,
        },
      })),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reminders.close();
    await this.notifications.close();
  }
}
