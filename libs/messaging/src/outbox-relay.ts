import { Client } from 'pg';
import type { Producer } from 'kafkajs';
import { register, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { backoffDelay, sleep, type BackoffOptions } from './backoff';
import { createProducer, type KafkaClient } from './kafka-client';
import { eventHeaders } from './kafka-message';
import { defaultLogger, errorFields, errorMessage, type MessagingLogger } from './logger';
import { OUTBOX_NOTIFY_CHANNEL } from './messaging-tables.migration';
import { messagingMetrics, registerBacklogSource, type MessagingMetrics } from './messaging.metrics';
import { pgConfigFromDataSource } from './pg-connection';

/** Advisory lock key shared by every relay of one database: one leader publishes at a time. */
export const OUTBOX_RELAY_LOCK_KEY = 7_363_216_010;

export interface OutboxRelayOptions {
  dataSource: DataSource;
  kafka: KafkaClient;
  /** Service name for metrics, logs and the session's application_name. */
  service: string;
  /** Reuse a producer (the relay then does not disconnect it); default: its own. */
  producer?: Producer;
  /** Fallback poll when no NOTIFY arrives (default 500 ms). */
  pollIntervalMs?: number;
  /** Rows per publish (default 200). */
  batchSize?: number;
  /** How often a standby tries to become leader (default 2000 ms). */
  lockRetryMs?: number;
  /** Backoff after a failed publish or lost session (default 250 ms doubling to 10 s). */
  backoff?: BackoffOptions;
  channel?: string;
  lockKey?: number;
  logger?: MessagingLogger;
  registry?: Registry;
}

/** Relay health for readiness probes and dashboards. */
export interface OutboxRelayStatus {
  leader: boolean;
  lastPublishAt: Date | null;
  /** Unpublished rows, or null when the database could not be asked. */
  backlog: number | null;
  lastError: string | null;
}

interface OutboxRow {
  id: string;
  seq: string;
  topic: string;
  message_key: string;
  payload: Record<string, unknown>;
}

/**
 * Publishes committed outbox rows in seq order and marks them published once the broker
 * acknowledged them. Wakes on NOTIFY and polls; one leader per database (advisory lock);
 * failed publishes are retried forever with capped backoff, so no row is ever dropped.
 */
export class OutboxRelay {
  private readonly o: Required<Omit<OutboxRelayOptions, 'producer' | 'registry' | 'logger'>>;
  private readonly log: MessagingLogger;
  private readonly metrics: MessagingMetrics;
  private readonly producer: Producer;
  private readonly ownsProducer: boolean;
  private readonly registry: Registry;
  private unregisterBacklog: (() => void) | null = null;
  private session: Client | null = null;
  private leader = false;
  private producerConnected = false;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private pendingWake = false;
  private abort = new AbortController();
  private lastPublishAt: Date | null = null;
  private lastError: string | null = null;

  constructor(options: OutboxRelayOptions) {
    this.o = {
      dataSource: options.dataSource,
      kafka: options.kafka,
      service: options.service,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      batchSize: options.batchSize ?? 200,
      lockRetryMs: options.lockRetryMs ?? 2000,
      backoff: options.backoff ?? { baseMs: 250, maxMs: 10_000, jitter: 0.2 },
      channel: options.channel ?? OUTBOX_NOTIFY_CHANNEL,
      lockKey: options.lockKey ?? OUTBOX_RELAY_LOCK_KEY,
    };
    this.log = options.logger ?? defaultLogger('outbox-relay');
    this.metrics = messagingMetrics(options.registry);
    this.ownsProducer = !options.producer;
    this.producer = options.producer ?? createProducer(options.kafka);
    this.registry = options.registry ?? register;
  }

  /** Starts the relay loop in the background; returns at once (leadership is acquired asynchronously). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.abort = new AbortController();
    this.unregisterBacklog = registerBacklogSource(this.registry, this.o.service, () => this.countBacklog());
    this.loop = this.run();
  }

  /** Finishes the in-flight batch, releases the lock and disconnects what the relay owns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.wake?.();
    await this.loop;
    this.loop = null;
    await this.closeSession(true);
    if (this.ownsProducer && this.producerConnected) {
      await this.producer.disconnect().catch(() => undefined);
      this.producerConnected = false;
    }
    this.unregisterBacklog?.();
    this.unregisterBacklog = null;
  }

  /** Leadership, last publish, backlog and last error, for health endpoints. */
  async status(): Promise<OutboxRelayStatus> {
    let backlog: number | null = null;
    try {
      backlog = await this.countBacklog();
    } catch {
      backlog = null;
    }
    return { leader: this.leader, lastPublishAt: this.lastPublishAt, backlog, lastError: this.lastError };
  }

  private async countBacklog(): Promise<number> {
    const rows: { n: string }[] = await this.o.dataSource.query(
      'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
    );
    return Number(rows[0]?.n ?? 0);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        if (!this.leader) {
          if (!(await this.becomeLeader())) {
            await this.waitForWork(this.o.lockRetryMs);
            continue;
          }
        }
        if (!this.producerConnected) {
          await this.producer.connect();
          this.producerConnected = true;
        }
        const sent = await this.publishBatch();
        failures = 0;
        if (sent < this.o.batchSize) await this.waitForWork(this.o.pollIntervalMs);
      } catch (err) {
        failures += 1;
        this.lastError = errorMessage(err);
        const delay = backoffDelay(failures, this.o.backoff);
        this.log.warn({ relay: this.o.service, attempt: failures, retryInMs: delay, ...errorFields(err) }, 'outbox relay cycle failed; retrying');
        await sleep(delay, this.abort.signal);
      }
    }
  }

  /** Opens the dedicated session if needed and tries the advisory lock on it. */
  private async becomeLeader(): Promise<boolean> {
    if (!this.session) {
      const client = new Client(pgConfigFromDataSource(this.o.dataSource, `${this.o.service}-outbox-relay`));
      // A broken session loses the lock on the server side: stop acting as leader at once.
      client.on('error', (err) => this.onSessionLost(client, err));
      client.on('end', () => this.onSessionLost(client));
      client.on('notification', (msg) => {
        if (msg.channel === this.o.channel) this.notify();
      });
      await client.connect();
      this.session = client;
    }
    const rows = await this.session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [this.o.lockKey]);
    if (!rows.rows[0]?.locked) return false;
    await this.session.query(`LISTEN "${this.o.channel.replace(/"/g, '""')}"`);
    this.leader = true;
    this.log.info({ relay: this.o.service }, 'outbox relay is leader');
    return true;
  }

  private onSessionLost(client: Client, err?: Error): void {
    if (this.session !== client) return;
    this.session = null;
    if (this.leader) this.log.warn({ relay: this.o.service, ...(err ? errorFields(err) : {}) }, 'outbox relay lost its database session; leadership dropped');
    this.leader = false;
    client.end().catch(() => undefined);
  }

  private async closeSession(unlock: boolean): Promise<void> {
    const client = this.session;
    this.session = null;
    const wasLeader = this.leader;
    this.leader = false;
    if (!client) return;
    if (unlock && wasLeader) await client.query('SELECT pg_advisory_unlock($1)', [this.o.lockKey]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  /**
   * Publishes the oldest unpublished rows. Reads and marks run on the lock session, so a
   * relay whose session (and with it the lock) is gone cannot mark rows or start a batch.
   */
  private async publishBatch(): Promise<number> {
    const session = this.session;
    if (!session) throw new Error('outbox relay has no database session');
    const { rows } = await session.query<OutboxRow>(
      'SELECT id, seq, topic, message_key, payload FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1',
      [this.o.batchSize],
    );
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.id);
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const row of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.message_key, value: JSON.stringify(row.payload), headers: eventHeaders(row.payload) });
      byTopic.set(row.topic, messages);
    }
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (err) {
      const reason = errorMessage(err);
      await session
        .query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])', [ids, reason])
        .catch(() => undefined);
      throw err;
    }
    // Acknowledged: mark. If this fails the rows are sent again later (consumers dedupe).
    await session.query(
      'UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])',
      [ids],
    );
    this.lastPublishAt = new Date();
    this.lastError = null;
    this.metrics.outboxPublished.inc({ service: this.o.service }, rows.length);
    this.log.debug({ relay: this.o.service, count: rows.length, fromSeq: rows[0]!.seq, toSeq: rows[rows.length - 1]!.seq }, 'outbox rows published');
    return rows.length;
  }

  private notify(): void {
    if (this.wake) this.wake();
    else this.pendingWake = true;
  }

  private waitForWork(ms: number): Promise<void> {
    if (this.pendingWake || this.stopping) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        this.pendingWake = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
