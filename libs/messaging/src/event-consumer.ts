import { dlqTopicFor as defaultDlqTopicFor, parseCloudEvent, topicForEventType, type CloudEvent } from '@cit/contracts';
import { setTenant } from '@cit/persistence';
import type { Batch, Consumer, KafkaMessage, Producer } from 'kafkajs';
import { runWithContext } from '@cit/observability';
import type { Registry } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import { backoffDelay, sleep } from './backoff';
import { assessConsumerHealth, partitionLag, type ConsumerStatus } from './consumer-health';
import { departmentRegistryFromEnv, type DepartmentRegistry } from './department-registry';
import { admitEvent, type AdmissionRejection, type EventOriginPolicy } from './event-admission';
import type { EventValidator } from './event-validator';
import { topicsForHandlers } from './handler-topics';
import { createProducer, KAFKA_RETRY, type KafkaClient } from './kafka-client';
import { deadLetterHeaders } from './kafka-message';
import { defaultLogger, errorFields, errorMessage, type MessagingLogger } from './logger';
import { messagingMetrics, type MessagingMetrics } from './messaging.metrics';

/** What a handler gets besides the event: the inbox transaction and where the message came from. */
export interface InboxContext {
  /** EntityManager of the transaction that also records the event in the inbox. */
  manager: EntityManager;
  /** Inbox consumer name (default: the group id). */
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /**
   * 1 on first delivery to the handler, higher on retries. A failed batch (see
   * ConsumerBatchOptions) is applied again one event at a time, starting again at 1.
   */
  attempt: number;
}

/** Applies one event's effects through ctx.manager; throwing rolls them back and retries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers narrow data to their own type
export type EventHandler<TData = any> = (event: CloudEvent<TData>, ctx: InboxContext) => Promise<unknown> | unknown;

/** Handlers by CloudEvents type. */
export type EventHandlers = ReadonlyMap<string, EventHandler> | Readonly<Record<string, EventHandler>>;

export interface HandlerRetryOptions {
  /** Handler attempts before dead-lettering (default 5). */
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
}

/**
 * Opt-in batched consumption: up to maxEvents consecutive events of one partition are
 * applied in ONE transaction (per event: its tenant, its inbox claim, its handler), with
 * one commit, then the offsets of all of them. A batch that fails for any reason but a
 * database outage is applied again one event at a time (retries, dead letter), so a poison
 * event costs only its own effects. Handlers must not catch database errors and carry on:
 * a failed statement aborts the shared transaction.
 */
export interface ConsumerBatchOptions {
  /** Most events applied in one transaction (2 or more; 1 is the one-event path). */
  maxEvents: number;
}

export interface EventConsumerOptions {
  kafka: KafkaClient;
  dataSource: DataSource;
  groupId: string;
  /**
   * Topics to subscribe to (default: the topics of the handled event types, through
   * topicFor). Give them only for topics outside the catalog's streams.
   */
  topics?: string[];
  handlers: EventHandlers;
  /** Maps a handled event type to its topic (default: topicForEventType from the contracts catalog). */
  topicFor?: (eventType: string) => string;
  /**
   * Name recorded in inbox.consumer (default: groupId). Keep it stable when the group
   * changes (a new group replaying history must find what the old one applied).
   */
  inboxConsumer?: string;
  /** Envelope and data validation (default: parseCloudEvent). */
  validate?: EventValidator;
  /**
   * Departments whose events are applied (default: departmentRegistryFromEnv, i.e.
   * CIT_DEPARTMENTS). An event of any other department is dead-lettered on arrival.
   */
  departments?: DepartmentRegistry;
  /**
   * Which types may arrive on a topic and from which source (default: checkEventOrigin of
   * the contracts). Only the consumer's own tests, on their own topics and types, give another.
   */
  checkOrigin?: EventOriginPolicy;
  dlqTopicFor?: (topic: string) => string;
  /** Producer for dead letters (default: its own). */
  producer?: Producer;
  retry?: HandlerRetryOptions;
  /** A new group starts at the earliest offset (default true): nothing published before it is missed. */
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxWaitTimeMs?: number;
  /** Commit offsets once this many are resolved (default 100), and at the end of every batch. */
  commitThreshold?: number;
  partitionsConsumedConcurrently?: number;
  /** Apply consecutive events of a partition in one transaction (default: one per event). */
  batch?: ConsumerBatchOptions;
  /** Readiness fails when behind with no progress for this long (default 60 s). */
  stallAfterMs?: number;
  logger?: MessagingLogger;
  registry?: Registry;
}

type Outcome = 'processed' | 'duplicate' | 'ignored';

/** Result of decoding a message: a valid event or a reason it can never be processed. */
export type DecodeResult = { ok: true; event: CloudEvent } | { ok: false; error: string };

/** A message checked on arrival: an event to apply, or why it goes to the dead-letter topic. */
type Arrival =
  | { ok: true; event: CloudEvent }
  | { ok: false; reason: 'invalid'; error: string }
  | { ok: false; reason: AdmissionRejection; error: string; event: CloudEvent };

/** Why a message was dead-lettered: unusable, refused on arrival, or its handler kept failing. */
type DeadLetterReason = 'invalid' | 'failed' | AdmissionRejection;

/**
 * Decodes a message value as a structured-mode CloudEvent. Reasons never quote the value:
 * V8's JSON.parse errors include a snippet of the input, which may be PHI.
 */
export function decodeMessage(value: Buffer | null, validate: EventValidator): DecodeResult {
  if (value === null || value.length === 0) return { ok: false, error: 'invalid: empty message value' };
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, error: 'invalid: value is not valid JSON' };
  }
  const result = validate(raw);
  return result.ok ? result : { ok: false, error: `invalid: ${result.error}` };
}

class StopRequested extends Error {}

/** A heartbeat failure inside a batch transaction: propagated as is, never a reason to fall back. */
class HeartbeatFailed extends Error {
  constructor(readonly original: unknown) {
    super('heartbeat failed');
  }
}

type BatchControl = {
  batch: Batch;
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  commitOffsetsIfNecessary(): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
};

/** A decoded message of a batch run. */
interface RunItem {
  message: KafkaMessage;
  event: CloudEvent;
}

/**
 * Consumer group that applies each event exactly once in effect: the inbox row and the
 * handler's writes commit in one transaction, then the offset is committed. Invalid events
 * and events whose handler keeps failing go to `<topic>.dlq` and the partition moves on.
 */
export class EventConsumer {
  private readonly log: MessagingLogger;
  private readonly metrics: MessagingMetrics;
  private readonly handlers: Map<string, EventHandler>;
  private readonly validate: EventValidator;
  private readonly departments: DepartmentRegistry;
  private readonly checkOrigin: EventOriginPolicy | undefined;
  private readonly dlqTopicFor: (topic: string) => string;
  private readonly inboxConsumer: string;
  private readonly retry: Required<HandlerRetryOptions>;
  private readonly topics: string[];
  private readonly producer: Producer;
  private readonly ownsProducer: boolean;
  private consumer: Consumer | null = null;
  private producerConnected = false;
  private abort = new AbortController();
  private stopping = false;
  /** Pending rejoin after kafkajs gave up on the consumer, and how many in a row so far. */
  private recovery: NodeJS.Timeout | null = null;
  private recoveries = 0;
  private state: ConsumerStatus = { connected: false, running: false, startedAt: null, lastProgressAt: null, lag: {} };

  constructor(private readonly options: EventConsumerOptions) {
    this.handlers = new Map(options.handlers instanceof Map ? options.handlers : Object.entries(options.handlers));
    this.topics = options.topics ?? topicsForHandlers(this.handlers.keys(), options.topicFor ?? topicForEventType);
    if (this.topics.length === 0)
      throw new Error('EventConsumer: no topics (a service without handlers starts no consumer)');
    this.log = options.logger ?? defaultLogger('event-consumer');
    this.metrics = messagingMetrics(options.registry);
    this.validate = options.validate ?? parseCloudEvent;
    // Resolved here, at boot: a production service without CIT_DEPARTMENTS does not start.
    this.departments = options.departments ?? departmentRegistryFromEnv(process.env, this.log);
    this.checkOrigin = options.checkOrigin;
    this.dlqTopicFor = options.dlqTopicFor ?? defaultDlqTopicFor;
    this.inboxConsumer = options.inboxConsumer ?? options.groupId;
    this.retry = { attempts: 5, baseMs: 100, maxMs: 5000, ...options.retry };
    this.ownsProducer = !options.producer;
    this.producer = options.producer ?? createProducer(options.kafka);
  }

  /** Connects, subscribes and starts consuming; resolves once the run loop is started. */
  async start(): Promise<void> {
    if (this.consumer) return;
    const o = this.options;
    this.abort = new AbortController();
    this.stopping = false;
    const consumer = o.kafka.consumer({
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: o.heartbeatIntervalMs ?? 3_000,
      maxWaitTimeInMs: o.maxWaitTimeMs ?? 1_000,
      allowAutoTopicCreation: false,
      // kafkajs restarts a crashed consumer on a timer; one firing after stop() would
      // reconnect a consumer nobody owns any more.
      retry: { ...KAFKA_RETRY, restartOnFailure: async () => !this.stopping },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.state.connected = true;
      this.recoveries = 0;
      delete this.state.crashed;
    });
    consumer.on(consumer.events.DISCONNECT, () => {
      this.state.connected = false;
    });
    // Health detail: an idle consumer still fetches and heartbeats, so these show the broker is reachable.
    consumer.on(consumer.events.FETCH, () => (this.state.lastFetchAt = new Date()));
    consumer.on(consumer.events.HEARTBEAT, () => (this.state.lastHeartbeatAt = new Date()));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.log.error({ group: o.groupId, restart: payload.restart, ...errorFields(payload.error) }, 'consumer crashed');
      if (!payload.restart) {
        this.state.crashed = errorFields(payload.error).err;
        this.state.running = false;
        this.state.connected = false;
        this.scheduleRecovery();
      }
    });
    try {
      await this.producer.connect();
      this.producerConnected = true;
      await consumer.connect();
      await consumer.subscribe({ topics: this.topics, fromBeginning: o.fromBeginning ?? true });
      await consumer.run({
        autoCommit: true,
        // Offsets are committed every commitThreshold messages and at the end of each batch;
        // a redelivery after a crash in between is harmless because the inbox dedupes it.
        autoCommitThreshold: o.commitThreshold ?? 100,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: o.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => this.eachBatch(payload),
      });
    } catch (err) {
      this.consumer = null;
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
    this.state.running = true;
    this.state.startedAt = new Date();
    this.log.info({ group: o.groupId, topics: this.topics }, 'consumer started');
  }

  /**
   * Stops fetching, lets the in-flight message finish (its offset is committed), then
   * disconnects. Close the DataSource and Redis only after this resolves.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.recovery) clearTimeout(this.recovery);
    this.recovery = null;
    const consumer = this.consumer;
    if (!consumer) return;
    // Backoff sleeps end early; a message still being retried is left uncommitted for the next owner.
    this.abort.abort();
    await consumer.stop();
    await consumer.disconnect();
    this.consumer = null;
    this.state.running = false;
    this.state.connected = false;
    if (this.ownsProducer && this.producerConnected) {
      await this.producer.disconnect().catch(() => undefined);
      this.producerConnected = false;
    }
    this.log.info({ group: this.options.groupId }, 'consumer stopped');
  }

  /**
   * kafkajs gives a consumer up for good after an error it does not retry (a coordinator
   * answering INVALID_REQUEST to a SyncGroup, say): the instance would keep serving with no
   * consumer. Rejoin the group with a new one after a backoff, again until it joins; what the
   * dead one applied but had not committed is delivered again, and the inbox skips it.
   */
  private scheduleRecovery(): void {
    if (this.stopping || this.recovery) return;
    const attempt = ++this.recoveries;
    const delayMs = backoffDelay(attempt, { baseMs: 1_000, maxMs: 30_000, jitter: 0.2 });
    this.log.warn({ group: this.options.groupId, attempt, delayMs }, 'consumer given up by kafkajs; rejoining');
    this.recovery = setTimeout(() => void this.recover(), delayMs);
    this.recovery.unref();
  }

  private async recover(): Promise<void> {
    this.recovery = null;
    if (this.stopping) return;
    const crashed = this.consumer;
    this.consumer = null;
    await crashed?.disconnect().catch(() => undefined);
    if (this.stopping) return;
    try {
      await this.start();
    } catch (err) {
      this.log.error({ group: this.options.groupId, ...errorFields(err) }, 'consumer rejoin failed');
      this.scheduleRecovery();
    }
  }

  /** The topics this consumer subscribes to. */
  subscribedTopics(): readonly string[] {
    return this.topics;
  }

  /** Connection, progress, lag and crash state, for readiness probes. */
  status(): ConsumerStatus & { healthy: boolean; reason?: string } {
    const snapshot: ConsumerStatus = { ...this.state, lag: { ...this.state.lag } };
    return { ...snapshot, ...assessConsumerHealth(snapshot, new Date(), this.options.stallAfterMs ?? 60_000) };
  }

  private async eachBatch(ctl: BatchControl): Promise<void> {
    const maxEvents = this.options.batch?.maxEvents ?? 1;
    if (maxEvents > 1) return this.eachBatchInTransactions(ctl, maxEvents);
    for (const message of ctl.batch.messages) {
      if (!ctl.isRunning() || ctl.isStale()) return;
      if (!(await this.settleOne(ctl, message))) return;
    }
  }

  /** One message through the one-event path, then its offset; false when it was given up (stop, rebalance). */
  private async settleOne(ctl: BatchControl, message: KafkaMessage): Promise<boolean> {
    try {
      await this.handleMessage(ctl.batch, message, ctl);
    } catch (err) {
      if (err instanceof StopRequested) return false;
      throw err;
    }
    await this.progressed(ctl, message);
    return true;
  }

  /** Resolves the offset up to message, commits if due, updates lag and progress, heartbeats. */
  private async progressed(ctl: BatchControl, message: KafkaMessage): Promise<void> {
    const { batch } = ctl;
    ctl.resolveOffset(message.offset);
    await ctl.commitOffsetsIfNecessary();
    const lag = partitionLag(batch.highWatermark, message.offset);
    this.state.lag[`${batch.topic}/${batch.partition}`] = lag;
    this.state.lastProgressAt = new Date();
    this.metrics.consumerLag.set(
      { group: this.options.groupId, topic: batch.topic, partition: String(batch.partition) },
      lag,
    );
    await ctl.heartbeat();
  }

  /**
   * Batched path: runs of up to maxEvents consecutive valid events share one transaction.
   * An invalid message ends a run and goes through the one-event path (dead letter); a run
   * that fails is applied again one event at a time.
   */
  private async eachBatchInTransactions(ctl: BatchControl, maxEvents: number): Promise<void> {
    const messages = ctl.batch.messages;
    let next = 0;
    while (next < messages.length) {
      if (!ctl.isRunning() || ctl.isStale() || this.abort.signal.aborted) return;
      const run: RunItem[] = [];
      while (next + run.length < messages.length && run.length < maxEvents) {
        const message = messages[next + run.length]!;
        const arrival = this.arrive(ctl.batch.topic, message);
        if (!arrival.ok) break;
        run.push({ message, event: arrival.event });
      }
      if (run.length <= 1) {
        // A message dead-lettered there (invalid or refused) or a lone event: nothing to share.
        if (!(await this.settleOne(ctl, messages[next]!))) return;
        next += 1;
        continue;
      }
      let outcomes: Outcome[] | null;
      try {
        outcomes = await this.applyRun(ctl, run);
      } catch (err) {
        if (err instanceof StopRequested) return;
        throw err;
      }
      if (outcomes) {
        for (const [i, outcome] of outcomes.entries()) {
          const event = run[i]!.event;
          this.metrics.eventsConsumed.inc({ group: this.options.groupId, type: event.type, outcome });
          if (outcome !== 'processed')
            this.log.debug(
              { group: this.options.groupId, topic: ctl.batch.topic, eventId: event.id, type: event.type, outcome },
              outcome === 'ignored' ? 'no handler for event type; skipped, not recorded' : 'duplicate event skipped',
            );
        }
        await this.progressed(ctl, run[run.length - 1]!.message);
      } else {
        for (const { message } of run) {
          if (!ctl.isRunning() || ctl.isStale()) return;
          if (!(await this.settleOne(ctl, message))) return;
        }
      }
      next += run.length;
    }
  }

  /**
   * Applies a run in one transaction. Returns the outcomes once committed, or null when it
   * failed while the database answers (the caller applies the events one at a time). While
   * the database is unreachable the partition is held and the run tried again.
   */
  private async applyRun(ctl: BatchControl, run: RunItem[]): Promise<Outcome[] | null> {
    const { batch } = ctl;
    for (let round = 1; ; round++) {
      try {
        return await this.options.dataSource.transaction(async (manager) => {
          const outcomes: Outcome[] = [];
          for (const { event, message } of run) {
            const handler = this.handlers.get(event.type);
            outcomes.push(handler ? await this.applyIn(manager, handler, event, batch, message, 1) : 'ignored');
            try {
              await ctl.heartbeat();
            } catch (err) {
              throw new HeartbeatFailed(err);
            }
          }
          return outcomes;
        });
      } catch (err) {
        if (err instanceof HeartbeatFailed) throw err.original;
        const coords = {
          group: this.options.groupId,
          topic: batch.topic,
          partition: batch.partition,
          firstOffset: run[0]!.message.offset,
          events: run.length,
        };
        if (await this.databaseReachable()) {
          this.log.warn({ ...coords, ...errorFields(err) }, 'batch failed; applying its events one at a time');
          return null;
        }
        this.log.warn({ ...coords, round, ...errorFields(err) }, 'database unreachable; holding partition');
        await this.pause(backoffDelay(round, { baseMs: 500, maxMs: 10_000, jitter: 0.2 }), ctl);
      }
    }
  }

  /** Processes, skips or dead-letters one message; throws StopRequested to leave it uncommitted. */
  private async handleMessage(
    batch: Batch,
    message: KafkaMessage,
    ctl: { heartbeat(): Promise<void>; isRunning(): boolean; isStale(): boolean },
  ): Promise<void> {
    const coords = {
      group: this.options.groupId,
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
    };
    const arrival = this.arrive(batch.topic, message);
    if (!arrival.ok && arrival.reason === 'invalid') {
      this.log.warn({ ...coords, reason: arrival.error.slice(0, 200) }, 'invalid message; dead-lettering');
      await this.deadLetter(batch, message, arrival.error, 'invalid', ctl);
      return;
    }
    if (!arrival.ok) {
      const { event } = arrival;
      this.log.warn(
        {
          ...coords,
          eventId: event.id,
          type: event.type,
          departmentId: event.departmentid,
          reason: arrival.reason,
          error: arrival.error,
        },
        'event refused on arrival; dead-lettering',
      );
      await this.deadLetter(batch, message, `rejected: ${arrival.error}`, arrival.reason, ctl);
      // Counted once written: a dead letter given up on shutdown is refused again by the next owner.
      this.metrics.eventsRejected.inc({ group: this.options.groupId, topic: batch.topic, reason: arrival.reason });
      return;
    }
    const event = arrival.event;
    const ids = { ...coords, eventId: event.id, type: event.type };
    for (let round = 1; ; round++) {
      let lastError: unknown;
      for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
        try {
          const outcome = await this.applyOnce(event, batch, message, attempt);
          this.metrics.eventsConsumed.inc({ group: this.options.groupId, type: event.type, outcome });
          if (outcome === 'ignored') this.log.debug(ids, 'no handler for event type; skipped, not recorded');
          else if (outcome === 'duplicate') this.log.debug(ids, 'duplicate event skipped');
          return;
        } catch (err) {
          lastError = err;
          if (attempt === this.retry.attempts) break;
          this.metrics.handlerRetries.inc({ group: this.options.groupId, type: event.type });
          this.log.warn({ ...ids, attempt, ...errorFields(err) }, 'handler failed; retrying');
          await this.pause(
            backoffDelay(attempt, { baseMs: this.retry.baseMs, maxMs: this.retry.maxMs, jitter: 0.2 }),
            ctl,
          );
        }
      }
      // A database outage fails every handler; dead-lettering then would empty the topic
      // into the DLQ. Hold the partition (heartbeating) until the database answers again.
      if (await this.databaseReachable()) {
        this.log.error(
          { ...ids, attempts: this.retry.attempts, ...errorFields(lastError) },
          'handler keeps failing; dead-lettering',
        );
        await this.deadLetter(batch, message, `failed: ${errorMessage(lastError)}`, 'failed', ctl);
        return;
      }
      this.log.warn({ ...ids, round, ...errorFields(lastError) }, 'database unreachable; holding partition');
      await this.pause(backoffDelay(round, { baseMs: 500, maxMs: 10_000, jitter: 0.2 }), ctl);
    }
  }

  /**
   * Everything decided before a transaction opens: the value is a valid event, and the event
   * belongs where it arrived (a type of this topic, from that type's producer, of a department
   * served here). A refused event never reaches the inbox or a handler, so a forged one can
   * neither mark a real event id as applied nor write anything.
   */
  private arrive(topic: string, message: KafkaMessage): Arrival {
    const decoded = decodeMessage(message.value, this.validate);
    if (!decoded.ok) return { ok: false, reason: 'invalid', error: decoded.error };
    const admitted = admitEvent(decoded.event, topic, this.departments, this.checkOrigin);
    if (!admitted.ok) return { ...admitted, event: decoded.event };
    return decoded;
  }

  /**
   * One inbox transaction: claim the event id, run the handler, commit both or neither.
   * An event without a handler is skipped before the inbox is touched: recording it would
   * mark it applied forever, and a handler shipped later could never catch up on it.
   */
  private async applyOnce(event: CloudEvent, batch: Batch, message: KafkaMessage, attempt: number): Promise<Outcome> {
    const handler = this.handlers.get(event.type);
    if (!handler) return 'ignored';
    return this.options.dataSource.transaction((manager) =>
      this.applyIn(manager, handler, event, batch, message, attempt),
    );
  }

  /** Inside an open transaction: the event's tenant, its inbox claim, its handler. */
  private async applyIn(
    manager: EntityManager,
    handler: EventHandler,
    event: CloudEvent,
    batch: Batch,
    message: KafkaMessage,
    attempt: number,
  ): Promise<Outcome> {
    // The event's department is the transaction's tenant before anything is read or
    // written: the claim and every statement of the handler run under row-level security.
    // In a batch every event sets its own department before its claim.
    await setTenant(manager, event.departmentid);
    const claimed: unknown[] = await manager.query(
      'INSERT INTO inbox (consumer, event_id, department_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id',
      [this.inboxConsumer, event.id, event.departmentid],
    );
    if (claimed.length === 0) return 'duplicate';
    // Log lines and events the handler writes carry the flow's correlation id and this event as their cause.
    const context = {
      correlationId: event.correlationid,
      departmentId: event.departmentid,
      eventId: event.id,
      requestId: event.id,
    };
    await runWithContext(context, () =>
      handler(event, {
        manager,
        consumer: this.inboxConsumer,
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key ? message.key.toString('utf8') : null,
        attempt,
      }),
    );
    return 'processed';
  }

  private async databaseReachable(): Promise<boolean> {
    try {
      await this.options.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Writes the original key and value to `<topic>.dlq`; retries until written or stopping. */
  private async deadLetter(
    batch: Batch,
    message: KafkaMessage,
    error: string,
    reason: DeadLetterReason,
    ctl: { heartbeat(): Promise<void>; isRunning(): boolean; isStale(): boolean },
  ): Promise<void> {
    const dlq = this.dlqTopicFor(batch.topic);
    const headers = deadLetterHeaders(message.headers, {
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      groupId: this.options.groupId,
      error,
      reason,
      failedAt: new Date(),
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.producer.send({
          topic: dlq,
          acks: -1,
          messages: [{ key: message.key, value: message.value, headers }],
        });
        this.metrics.dlqMessages.inc({
          group: this.options.groupId,
          topic: batch.topic,
          reason: reason === 'invalid' || reason === 'failed' ? reason : 'rejected',
        });
        this.log.warn(
          {
            group: this.options.groupId,
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            dlq,
            reason,
          },
          'message dead-lettered',
        );
        return;
      } catch (err) {
        this.log.error({ dlq, attempt, ...errorFields(err) }, 'dead-letter write failed; retrying');
        await this.pause(backoffDelay(attempt, { baseMs: 500, maxMs: 10_000, jitter: 0.2 }), ctl);
      }
    }
  }

  /** Backoff that keeps the group membership alive and gives up the message on shutdown or rebalance. */
  private async pause(
    ms: number,
    ctl: { heartbeat(): Promise<void>; isRunning(): boolean; isStale(): boolean },
  ): Promise<void> {
    await sleep(ms, this.abort.signal);
    if (!ctl.isRunning() || ctl.isStale() || this.abort.signal.aborted) throw new StopRequested();
    await ctl.heartbeat();
  }
}
