import { newId } from '@cit/contracts';
import {
  createProducer,
  readDeadLetters,
  redactDeadLetter,
  replayDeadLetter,
  isDeadLetterTopic,
  deadLetterTopicOf,
  type KafkaClient,
  type RedactedDeadLetter,
} from '@cit/messaging';
import { systemScopeTransaction } from '@cit/persistence';
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { FOLLOWUP_SYSTEM_SCOPES } from '../migrations/1765100000500-followup-initial';

/** A failed job as ops see it: ids, reason, attempts and times (job data is ids only). */
export interface FailedJobView {
  queue: string;
  id: string;
  name: string;
  data: Record<string, unknown>;
  failedReason: string;
  attemptsMade: number;
  createdAt: string;
  finishedAt: string | null;
}

/** A recorded replay of one dead letter. */
export interface ReplayRecord {
  id: string;
  dlqTopic: string;
  partition: number;
  offset: string;
  targetTopic: string;
  eventId: string | null;
  eventType: string | null;
  replayedBy: string;
  replayedAt: string;
}

export class OpsError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

function view(queue: string, job: Job): FailedJobView {
  return {
    queue,
    id: String(job.id),
    name: job.name,
    data: job.data as Record<string, unknown>,
    failedReason: job.failedReason,
    attemptsMade: job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/**
 * What the ops API and `npm run ops` share: failed BullMQ jobs (list, retry) and dead letters
 * of any <topic>.dlq (list and inspect with PHI redacted, replay back to the topic, each replay
 * recorded in dlq_replay with who did it).
 */
export class OpsToolkit {
  constructor(private readonly deps: { queues: Record<string, Queue>; kafka: KafkaClient; dataSource: DataSource }) {}

  private queue(name: string): Queue {
    const q = this.deps.queues[name];
    if (!q) throw new OpsError(404, `no queue ${name} (queues: ${Object.keys(this.deps.queues).join(', ')})`);
    return q;
  }

  async failedJobs(queueName?: string, limit = 100): Promise<FailedJobView[]> {
    const names = queueName ? [queueName] : Object.keys(this.deps.queues);
    const out: FailedJobView[] = [];
    for (const name of names) {
      const jobs = await this.queue(name).getFailed(0, limit - 1);
      out.push(...jobs.filter((j): j is Job => Boolean(j)).map((j) => view(name, j)));
    }
    return out;
  }

  /** Retries failed jobs (by id, or all of a queue); returns the ids retried. */
  async retryFailed(queueName: string, ids: readonly string[] | 'all'): Promise<string[]> {
    const queue = this.queue(queueName);
    const jobs = ids === 'all' ? await queue.getFailed(0, 9999) : await Promise.all(ids.map((id) => queue.getJob(id)));
    const retried: string[] = [];
    const failed = [];
    for (const job of jobs) if (job && (await job.isFailed())) failed.push(job);
    // Notification rows first: a retried job only delivers a pending notification.
    if (queueName === 'notifications') await this.releaseNotifications(failed.map((j) => String(j.id)));
    for (const job of failed) {
      await job.retry('failed');
      retried.push(String(job.id));
    }
    if (ids !== 'all' && retried.length === 0) throw new OpsError(404, 'no failed job with these ids');
    return retried;
  }

  /** Releases failed notifications (their job was retried): pending again, so the delivery runs. */
  private async releaseNotifications(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await systemScopeTransaction(this.deps.dataSource, FOLLOWUP_SYSTEM_SCOPES.ops, (em) =>
      em.query(`UPDATE notification SET state = 'pending', failed_at = NULL WHERE id = ANY($1) AND state = 'failed'`, [
        [...ids],
      ]),
    );
  }

  private dlqTopic(topic: string): string {
    const dlq = deadLetterTopicOf(topic);
    if (!isDeadLetterTopic(dlq)) throw new OpsError(400, 'topic must be a topic name or <topic>.dlq');
    return dlq;
  }

  async listDeadLetters(topic: string, limit = 50): Promise<RedactedDeadLetter[]> {
    return (await readDeadLetters(this.deps.kafka, this.dlqTopic(topic), { limit })).map(redactDeadLetter);
  }

  async inspectDeadLetter(topic: string, partition: number, offset: string): Promise<RedactedDeadLetter> {
    const [dl] = await readDeadLetters(this.deps.kafka, this.dlqTopic(topic), { partition, offset, limit: 1 });
    if (!dl) throw new OpsError(404, 'no dead letter at this partition and offset');
    return redactDeadLetter(dl);
  }

  /** Replays one dead letter to its original topic and records who did it. */
  async replayDeadLetter(topic: string, partition: number, offset: string, replayedBy: string): Promise<ReplayRecord> {
    const dlqTopic = this.dlqTopic(topic);
    const [dl] = await readDeadLetters(this.deps.kafka, dlqTopic, { partition, offset, limit: 1 });
    if (!dl) throw new OpsError(404, 'no dead letter at this partition and offset');
    const redacted = redactDeadLetter(dl);
    const producer = createProducer(this.deps.kafka);
    await producer.connect();
    let target: string;
    try {
      target = (await replayDeadLetter(producer, dl)).topic;
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
    const record: ReplayRecord = {
      id: newId('rpl'),
      dlqTopic,
      partition,
      offset,
      targetTopic: target,
      eventId: redacted.eventId ?? null,
      eventType: redacted.eventType ?? null,
      replayedBy,
      replayedAt: new Date().toISOString(),
    };
    await systemScopeTransaction(this.deps.dataSource, FOLLOWUP_SYSTEM_SCOPES.ops, (em) =>
      em.query(
        `INSERT INTO dlq_replay (id, department_id, dlq_topic, dlq_partition, dlq_offset, target_topic, event_id, event_type, dlq_error, replayed_by, replayed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          record.id,
          redacted.departmentId ?? 'unknown',
          dlqTopic,
          partition,
          offset,
          target,
          record.eventId,
          record.eventType,
          redacted.error ?? null,
          replayedBy,
          record.replayedAt,
        ],
      ),
    );
    return record;
  }

  async replays(limit = 100): Promise<ReplayRecord[]> {
    const rows: Array<Record<string, string | number | Date | null>> = await systemScopeTransaction(
      this.deps.dataSource,
      FOLLOWUP_SYSTEM_SCOPES.ops,
      (em) => em.query(`SELECT * FROM dlq_replay ORDER BY replayed_at DESC, id DESC LIMIT $1`, [limit]),
    );
    return rows.map((r) => ({
      id: String(r.id),
      dlqTopic: String(r.dlq_topic),
      partition: Number(r.dlq_partition),
      offset: String(r.dlq_offset),
      targetTopic: String(r.target_topic),
      eventId: (r.event_id as string | null) ?? null,
      eventType: (r.event_type as string | null) ?? null,
      replayedBy: String(r.replayed_by),
      replayedAt: new Date(r.replayed_at as Date).toISOString(),
    }));
  }
}
