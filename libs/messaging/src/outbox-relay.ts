import { Client } from 'pg';
import type { Producer } from 'kafkajs';
import { register, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { backoffDelay, sleep, type BackoffOptions } from './backoff';
import { createProducer, type KafkaClient } from './kafka-client';
import { eventHeaders } from './kafka-message';
import { defaultLogger, errorFields, errorMessage, type MessagingLogger } from './logger';
import { OUTBOX_NOTIFY_CHANNEL } from './messaging-tables.migration';
import {
  MESSAGING_RETENTION_DEFAULTS,
  purgeMessagingTables,
  type MessagingRetentionOptions,
} from './messaging-retention';
import {
  messagingMetrics,
  registerBacklogAgeSource,
  registerBacklogSource,
  registerSetAsideSource,
  type MessagingMetrics,
} from './messaging.metrics';
import { pgConfigFromDataSource } from './pg-connection';
import { SYSTEM_SCOPE_SETTING, systemScopeTransaction } from '@cit/persistence';

/** The relay's system scope (see MessagingTenancy1764806400000). */
const RELAY_SCOPE = 'outbox-relay';

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
  /** Failed attempts after which a row is set aside (status failed) and its key held back (default 10). */
  maxAttempts?: number;
  /**
   * Largest message (key + value + headers, bytes) the relay sends (default 1,000,000, under
   * Kafka's default message.max.bytes); a larger row fails without a round trip.
   */
  maxMessageBytes?: number;
  /** Deletes old published outbox rows and inbox rows while leader; false turns it off. */
  retention?: MessagingRetentionOptions | false;
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
  /** Pending rows, or null when the database could not be asked. */
  backlog: number | null;
  /** Seconds since the oldest pending row was written (0 when none), or null when unknown. */
  oldestPendingAgeSeconds: number | null;
  /** Rows set aside after repeated failures (ops retry them), or null when unknown. */
  setAside: number | null;
  lastError: string | null;
  /** First failure of the current run of failed cycles (broker away, session lost); null once a cycle succeeds. */
  failingSince: Date | null;
  /**
   * Start of the send the broker has not acknowledged yet, null when none is in flight. kafkajs
   * retries a send for tens of seconds before it fails, so an outage shows here first.
   */
  sendingSince: Date | null;
}

interface OutboxRow {
  id: string;
  seq: string;
  topic: string;
  message_key: string;
  payload: Record<string, unknown>;
}

interface OutgoingRow {
  row: OutboxRow;
  message: { key: string; value: string; headers: Record<string, string> };
}

interface RowFailure {
  row: OutboxRow;
  error: string;
}

/** kafkajs errors that mean the cluster could not be reached, not that this row was refused. */
const BROKER_UNAVAILABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSMetadataNotLoaded',
]);

/**
 * Broker answers about partition or cluster health (leadership moving, replicas missing), not
 * about the record. UNKNOWN_TOPIC_OR_PARTITION is not here: a missing topic is the row's fault.
 */
const CLUSTER_UNHEALTHY = new Set([
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'BROKER_NOT_AVAILABLE',
  'COORDINATOR_NOT_AVAILABLE',
  'KAFKA_STORAGE_ERROR',
]);

/** True when err (or an error it wraps) says the cluster is unreachable or unhealthy, which no row is to blame for. */
export function brokerUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error && BROKER_UNAVAILABLE.has(e.name)) return true;
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && CLUSTER_UNHEALTHY.has(type)) return true;
    e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}

/**
 * Publishes committed outbox rows in seq order and marks them published once the broker
 * acknowledged them. Wakes on NOTIFY and polls; one leader per database (advisory lock).
 * Broker outages are retried forever with capped backoff. A row the broker keeps refusing
 * (too large, unknown topic) is set aside after maxAttempts with its error, and only later
 * rows of its key wait behind it; every other key keeps flowing. No row is ever dropped.
 */
export class OutboxRelay {
  private readonly o: Required<Omit<OutboxRelayOptions, 'producer' | 'registry' | 'logger' | 'retention'>>;
  private readonly retention: Required<MessagingRetentionOptions> | null;
  private nextRetentionAt = 0;
  private readonly log: MessagingLogger;
  private readonly metrics: MessagingMetrics;
  private readonly producer: Producer;
  private readonly ownsProducer: boolean;
  private readonly registry: Registry;
  private unregisterGauges: (() => void) | null = null;
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
  private failingSince: Date | null = null;
  private sendingSince: Date | null = null;

  constructor(options: OutboxRelayOptions) {
    this.o = {
      dataSource: options.dataSource,
      kafka: options.kafka,
      service: options.service,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      batchSize: options.batchSize ?? 200,
      maxAttempts: options.maxAttempts ?? 10,
      maxMessageBytes: options.maxMessageBytes ?? 1_000_000,
      lockRetryMs: options.lockRetryMs ?? 2000,
      backoff: options.backoff ?? { baseMs: 250, maxMs: 10_000, jitter: 0.2 },
      channel: options.channel ?? OUTBOX_NOTIFY_CHANNEL,
      lockKey: options.lockKey ?? OUTBOX_RELAY_LOCK_KEY,
    };
    this.retention = options.retention === false ? null : { ...MESSAGING_RETENTION_DEFAULTS, ...options.retention };
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
    const unregisterBacklog = registerBacklogSource(this.registry, this.o.service, () => this.countBacklog());
    const unregisterAge = registerBacklogAgeSource(this.registry, this.o.service, async () => {
      return (await this.backlogStats()).oldestAgeSeconds;
    });
    const unregisterSetAside = registerSetAsideSource(this.registry, this.o.service, () => this.countSetAside());
    this.unregisterGauges = () => {
      unregisterBacklog();
      unregisterAge();
      unregisterSetAside();
    };
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
    this.unregisterGauges?.();
    this.unregisterGauges = null;
  }

  /** Leadership, last publish, backlog (rows and age), set-aside rows and the current failure, for health endpoints. */
  async status(): Promise<OutboxRelayStatus> {
    const backlog = await this.backlogStats().catch(() => null);
    const setAside = await this.countSetAside().catch(() => null);
    return {
      leader: this.leader,
      lastPublishAt: this.lastPublishAt,
      backlog: backlog?.rows ?? null,
      oldestPendingAgeSeconds: backlog?.oldestAgeSeconds ?? null,
      setAside,
      lastError: this.lastError,
      failingSince: this.failingSince,
      sendingSince: this.sendingSince,
    };
  }

  // Gauges count every department's rows: the relay's system scope, in a short transaction.
  private async countBacklog(): Promise<number> {
    return (await this.backlogStats()).rows;
  }

  /** Pending rows and the age of the oldest, measured by the database's clock (one scan of the pending index). */
  private async backlogStats(): Promise<{ rows: number; oldestAgeSeconds: number }> {
    const rows: { n: string; age: string | null }[] = await systemScopeTransaction(
      this.o.dataSource,
      RELAY_SCOPE,
      (m) =>
        m.query(
          `SELECT count(*) AS n, extract(epoch FROM clock_timestamp() - min(created_at)) AS age FROM outbox WHERE status = 'pending'`,
        ),
    );
    return { rows: Number(rows[0]?.n ?? 0), oldestAgeSeconds: Math.max(0, Number(rows[0]?.age ?? 0)) };
  }

  private async countSetAside(): Promise<number> {
    const rows: { n: string }[] = await systemScopeTransaction(this.o.dataSource, RELAY_SCOPE, (m) =>
      m.query(`SELECT count(*) AS n FROM outbox WHERE status = 'failed'`),
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
        this.failingSince = null;
        await this.runRetentionIfDue();
        if (sent < this.o.batchSize) await this.waitForWork(this.o.pollIntervalMs);
      } catch (err) {
        failures += 1;
        this.lastError = errorMessage(err);
        this.failingSince ??= new Date();
        const delay = backoffDelay(failures, this.o.backoff);
        this.log.warn(
          { relay: this.o.service, attempt: failures, retryInMs: delay, ...errorFields(err) },
          'outbox relay cycle failed; retrying',
        );
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
      // The relay publishes every department's events: its dedicated session (never pooled,
      // never shared with request code) carries the relay's system scope for its lifetime.
      await client.query('SELECT set_config($1, $2, false)', [SYSTEM_SCOPE_SETTING, RELAY_SCOPE]);
      this.session = client;
    }
    const rows = await this.session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      this.o.lockKey,
    ]);
    if (!rows.rows[0]?.locked) return false;
    await this.session.query(`LISTEN "${this.o.channel.replace(/"/g, '""')}"`);
    this.leader = true;
    this.log.info({ relay: this.o.service }, 'outbox relay is leader');
    return true;
  }

  private onSessionLost(client: Client, err?: Error): void {
    if (this.session !== client) return;
    this.session = null;
    if (this.leader)
      this.log.warn(
        { relay: this.o.service, ...(err ? errorFields(err) : {}) },
        'outbox relay lost its database session; leadership dropped',
      );
    this.leader = false;
    client.end().catch(() => undefined);
  }

  private async closeSession(unlock: boolean): Promise<void> {
    const client = this.session;
    this.session = null;
    const wasLeader = this.leader;
    this.leader = false;
    if (!client) return;
    if (unlock && wasLeader)
      await client.query('SELECT pg_advisory_unlock($1)', [this.o.lockKey]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  /**
   * Publishes the oldest pending rows whose key has no set-aside row; returns how many
   * were published. Reads and marks run on the lock session, so a relay whose session (and
   * with it the lock) is gone cannot mark rows or start a batch.
   */
  private async publishBatch(): Promise<number> {
    const session = this.session;
    if (!session) throw new Error('outbox relay has no database session');
    const { rows } = await session.query<OutboxRow>(
      `SELECT o.id, o.seq, o.topic, o.message_key, o.payload FROM outbox o
        WHERE o.status = 'pending'
          AND NOT EXISTS (SELECT 1 FROM outbox f WHERE f.status = 'failed' AND f.message_key = o.message_key AND f.seq < o.seq)
        ORDER BY o.seq LIMIT $1`,
      [this.o.batchSize],
    );
    if (rows.length === 0) return 0;
    const failures: RowFailure[] = [];
    // A key whose row failed sends nothing more this cycle: its order must hold.
    const stoppedKeys = new Set<string>();
    const outgoing: OutgoingRow[] = [];
    for (const row of rows) {
      if (stoppedKeys.has(row.message_key)) continue;
      const message = { key: row.message_key, value: JSON.stringify(row.payload), headers: eventHeaders(row.payload) };
      const size = messageBytes(message);
      if (size > this.o.maxMessageBytes) {
        failures.push({ row, error: `message too large: ${size} bytes > maxMessageBytes ${this.o.maxMessageBytes}` });
        stoppedKeys.add(row.message_key);
        continue;
      }
      outgoing.push({ row, message });
    }
    let published = 0;
    if (outgoing.length > 0) {
      try {
        await this.send(outgoing);
        await this.markPublished(session, outgoing);
        published = outgoing.length;
      } catch (err) {
        // The whole cluster is away: no row is to blame, retry the cycle with backoff.
        if (brokerUnavailable(err)) throw err;
        this.log.warn(
          { relay: this.o.service, count: outgoing.length, ...errorFields(err) },
          'outbox batch refused; publishing key by key to find the failing rows',
        );
        published = await this.publishKeyByKey(session, outgoing, failures);
      }
    }
    for (const failure of failures) await this.recordFailure(session, failure);
    if (published > 0) {
      this.lastPublishAt = new Date();
      if (failures.length === 0) this.lastError = null;
      this.metrics.outboxPublished.inc({ service: this.o.service }, published);
      this.log.debug(
        { relay: this.o.service, count: published, fromSeq: rows[0]!.seq, toSeq: rows[rows.length - 1]!.seq },
        'outbox rows published',
      );
    }
    return published;
  }

  /**
   * After a refused batch: each key's rows one at a time in seq order, so a failure is
   * charged to the row that caused it and a key stops at its first failure.
   */
  private async publishKeyByKey(session: Client, outgoing: OutgoingRow[], failures: RowFailure[]): Promise<number> {
    const byKey = new Map<string, OutgoingRow[]>();
    for (const o of outgoing) {
      const list = byKey.get(o.row.message_key) ?? [];
      list.push(o);
      byKey.set(o.row.message_key, list);
    }
    let published = 0;
    for (const rowsOfKey of byKey.values()) {
      for (const o of rowsOfKey) {
        try {
          await this.send([o]);
        } catch (err) {
          if (brokerUnavailable(err)) throw err;
          failures.push({ row: o.row, error: errorMessage(err) });
          break;
        }
        await this.markPublished(session, [o]);
        published += 1;
      }
    }
    return published;
  }

  private async send(outgoing: OutgoingRow[]): Promise<void> {
    const byTopic = new Map<string, OutgoingRow['message'][]>();
    for (const { row, message } of outgoing) {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push(message);
      byTopic.set(row.topic, messages);
    }
    this.sendingSince = new Date();
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } finally {
      this.sendingSince = null;
    }
  }

  /** Acknowledged: mark. If this fails the rows are sent again later (consumers dedupe). */
  private async markPublished(session: Client, outgoing: OutgoingRow[]): Promise<void> {
    await session.query(
      `UPDATE outbox SET status = 'published', published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])`,
      [outgoing.map((o) => o.row.id)],
    );
  }

  /** Charges one failed attempt to a row; at maxAttempts it is set aside and its key held back. */
  private async recordFailure(session: Client, { row, error }: RowFailure): Promise<void> {
    const reason = error.slice(0, 1000);
    this.lastError = reason;
    this.metrics.outboxRowFailures.inc({ service: this.o.service });
    const { rows } = await session.query<{ status: string; attempts: number }>(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
              status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE status END,
              failed_at = CASE WHEN attempts + 1 >= $3 THEN now() ELSE failed_at END
        WHERE id = $1 AND status = 'pending'
        RETURNING status, attempts`,
      [row.id, reason, this.o.maxAttempts],
    );
    const ids = {
      relay: this.o.service,
      outboxId: row.id,
      seq: row.seq,
      topic: row.topic,
      key: row.message_key,
      attempts: rows[0]?.attempts,
    };
    if (rows[0]?.status === 'failed') {
      this.metrics.outboxSetAsideTotal.inc({ service: this.o.service });
      this.log.error(
        { ...ids, reason },
        'outbox row set aside after repeated failures; later rows of its key are held until ops retry it',
      );
    } else {
      this.log.warn({ ...ids, reason }, 'outbox row failed to publish; will retry');
    }
  }

  /** Deletes old published outbox rows and inbox rows, at most every retention.intervalMs, while leader. */
  private async runRetentionIfDue(): Promise<void> {
    if (!this.retention || !this.leader || Date.now() < this.nextRetentionAt) return;
    this.nextRetentionAt = Date.now() + this.retention.intervalMs;
    try {
      const result = await purgeMessagingTables(this.o.dataSource, this.retention);
      this.metrics.retentionDeleted.inc({ service: this.o.service, table: 'outbox' }, result.outboxDeleted);
      this.metrics.retentionDeleted.inc({ service: this.o.service, table: 'inbox' }, result.inboxDeleted);
      if (result.outboxDeleted + result.inboxDeleted > 0) {
        this.log.info(
          { relay: this.o.service, outboxDeleted: result.outboxDeleted, inboxDeleted: result.inboxDeleted },
          'messaging retention deleted old rows',
        );
      }
    } catch (err) {
      // Retention can wait for the next interval; publishing must not.
      this.log.warn({ relay: this.o.service, ...errorFields(err) }, 'messaging retention failed');
    }
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

/** Bytes of a message as the broker counts them, near enough: key, value and headers. */
function messageBytes(message: { key: string; value: string; headers: Record<string, string> }): number {
  let n = Buffer.byteLength(message.key) + Buffer.byteLength(message.value);
  for (const [k, v] of Object.entries(message.headers)) n += Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}
