import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@cit/service-kit';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { ReminderQueues } from '../reminders/reminder-queues';

const QUEUE_STATES = [
  'waiting',
  'delayed',
  'active',
  'failed',
  'completed',
  'prioritized',
  'waiting-children',
] as const;

/** Prometheus metrics of followup: per-queue job counts (read from Redis at scrape time), lateness, deliveries. */
@Injectable()
export class FollowupMetrics {
  readonly lateness: Histogram<'kind'>;
  readonly fired: Counter<'kind' | 'late'>;
  readonly deliveries: Counter<'channel' | 'outcome'>;
  readonly reconciled: Counter<'action'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, queues: ReminderQueues) {
    this.lateness = new Histogram({
      name: 'cit_followup_reminder_lateness_seconds',
      help: 'Fire time minus due time of fired reminders',
      labelNames: ['kind'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 3600],
      registers: [registry],
    });
    this.fired = new Counter({
      name: 'cit_followup_reminders_fired_total',
      help: 'Reminders fired, by kind and whether they were late',
      labelNames: ['kind', 'late'],
      registers: [registry],
    });
    this.deliveries = new Counter({
      name: 'cit_followup_notification_deliveries_total',
      help: 'Notification delivery attempts by channel and outcome (delivered, retry, failed)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    });
    this.reconciled = new Counter({
      name: 'cit_followup_reconciled_jobs_total',
      help: 'Jobs the reconciler put back (missing: re-added; failed: retried)',
      labelNames: ['action'],
      registers: [registry],
    });
    new Gauge({
      name: 'cit_followup_queue_jobs',
      help: 'Jobs per BullMQ queue and state (depth = waiting, delayed, active, failed)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        for (const queue of [queues.reminders, queues.notifications]) {
          const counts = await queue.getJobCounts(...QUEUE_STATES).catch(() => undefined);
          if (!counts) continue;
          for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
  }
}
