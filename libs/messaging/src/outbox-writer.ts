import { checkEventOrigin, parseCloudEvent, topicForEventType, type CloudEvent } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import type { EventOriginPolicy } from './event-admission';
import type { EventValidator } from './event-validator';

export interface OutboxWriterOptions {
  /** Checks events before they are stored; a bad event fails the caller's transaction. */
  validate?: EventValidator;
  /** Maps an event type to its topic (default: topicForEventType). */
  topicFor?: (eventType: string) => string;
  /**
   * Which types and sources belong on a topic (default: the contracts' checkEventOrigin, the
   * check consumers apply on arrival). An event its consumers would refuse fails the caller's
   * transaction here instead of reaching a dead-letter topic.
   */
  checkOrigin?: EventOriginPolicy;
}

export interface AppendOptions {
  /** Publish to this topic instead of the type's stream (e.g. a per-agency partner topic). */
  topic?: string;
}

/** Writes events into the outbox inside the caller's transaction, so state and event commit together. */
export class OutboxWriter {
  private readonly validate: EventValidator;
  private readonly topicFor: (eventType: string) => string;
  private readonly checkOrigin: EventOriginPolicy;

  constructor(options: OutboxWriterOptions = {}) {
    this.validate = options.validate ?? parseCloudEvent;
    this.topicFor = options.topicFor ?? topicForEventType;
    this.checkOrigin = options.checkOrigin ?? checkEventOrigin;
  }

  /** Appends one event; `manager` must be the transaction's EntityManager. */
  async append(manager: EntityManager, event: CloudEvent, options: AppendOptions = {}): Promise<void> {
    await this.appendMany(manager, [event], options);
  }

  /** Appends events in the given order (their seq, and so their publish order, follows it). */
  async appendMany(manager: EntityManager, events: readonly CloudEvent[], options: AppendOptions = {}): Promise<void> {
    if (events.length === 0) return;
    assertTransaction(manager);
    const { sql, params } = this.insertStatement(events, options);
    await manager.query(sql, params);
  }

  /**
   * The validated INSERT of appendMany without running it, for a caller that folds it into
   * one statement with its own writes (fewer round trips on a hot path). The caller must run
   * it in the transaction of the state change; events keep the given order.
   */
  insertStatement(events: readonly CloudEvent[], options: AppendOptions = {}): { sql: string; params: unknown[] } {
    if (events.length === 0) throw new Error('OutboxWriter: no events to insert');
    const n = events.length;
    const ids = new Array<string>(n);
    const topics = new Array<string>(n);
    const keys = new Array<string>(n);
    const types = new Array<string>(n);
    const payloads = new Array<string>(n);
    const departments = new Array<string | undefined>(n);
    for (let i = 0; i < n; i++) {
      const event = events[i]!;
      const checked = this.validate(event);
      if (!checked.ok) throw new Error(`OutboxWriter: invalid event ${event.id} (${event.type}): ${checked.error}`);
      const topic = options.topic ?? this.topicFor(event.type);
      const origin = this.checkOrigin(topic, event.type, event.source);
      if (!origin.ok)
        throw new Error(`OutboxWriter: event ${event.id} (${event.type}) does not belong on ${topic}: ${origin.error}`);
      ids[i] = event.id;
      topics[i] = topic;
      keys[i] = event.subject;
      types[i] = event.type;
      payloads[i] = JSON.stringify(event);
      departments[i] = event.departmentid;
    }
    // Six array parameters whatever the number of events; WITH ORDINALITY keeps the given
    // order, so identity values (seq) follow it. The row's department is the event's;
    // row-level security refuses one outside the transaction's tenant.
    return {
      sql: `INSERT INTO outbox (id, topic, message_key, event_type, payload, department_id)
            SELECT id, topic, message_key, event_type, payload::jsonb, department_id
              FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                   WITH ORDINALITY AS e(id, topic, message_key, event_type, payload, department_id, ord)
             ORDER BY ord`,
      params: [ids, topics, keys, types, payloads, departments],
    };
  }
}

function assertTransaction(manager: EntityManager): void {
  if (!manager.queryRunner?.isTransactionActive) {
    // Outside a transaction the event could commit without the state change (or vice versa).
    throw new Error('OutboxWriter: append must run inside a transaction (pass the transaction EntityManager)');
  }
}
