/** Tunables of the follow-up runtime; production uses the defaults, tests shorten them. */
export interface FollowupOptions {
  /** BullMQ key prefix in Redis (one per deployment; tests use their own). */
  queuePrefix: string;
  /** Run the BullMQ workers in this process. */
  workers: boolean;
  /** Reminder jobs processed at once per process. */
  concurrency: number;
  /** How long a worker holds a job before another may take it over (a crashed worker's jobs return after this). */
  lockDurationMs: number;
  /** How often workers look for stalled jobs (crashed holders). */
  stalledIntervalMs: number;
  /** Reconciler: at start and then every this many milliseconds (0 = only at start). */
  reconcileIntervalMs: number;
  /** Reminders fired more than this after their due time are marked late. */
  lateToleranceMs: number;
  /** Delivery attempts of a webhook or email notification before it is failed (visible to ops). */
  notificationAttempts: number;
  /** First retry delay of a notification; doubles each attempt. */
  notificationBackoffMs: number;
  /** Timeout of one webhook or SMTP delivery. */
  deliveryTimeoutMs: number;
}

export const FOLLOWUP_OPTIONS = Symbol('FOLLOWUP_OPTIONS');

export const DEFAULT_FOLLOWUP_OPTIONS: FollowupOptions = {
  queuePrefix: 'cit-followup',
  workers: true,
  concurrency: 32,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  reconcileIntervalMs: 60_000,
  lateToleranceMs: 1_000,
  notificationAttempts: 6,
  notificationBackoffMs: 2_000,
  deliveryTimeoutMs: 10_000,
};

/** BullMQ queue names. */
export const REMINDER_QUEUE = 'reminders';
export const NOTIFICATION_QUEUE = 'notifications';
