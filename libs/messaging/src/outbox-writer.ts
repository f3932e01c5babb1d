import { parseCloudEvent, topicForEventType, type CloudEvent } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import type { EventValidator } from './event-validator';

export interface OutboxWriterOptions {
  /** Checks events before they are stored; a bad event fails the caller's transaction. */
  validate?: EventValidator;
  /** Maps an event type to its topic (default: topicForEventType). */
  topicFor?: (eventType: string) => string;
}

export interface AppendOptions {
  /** Publish to this topic instead of the type's stream (e.g. a per-agency partner topic). */
  topic?: string;
}

/** Writes events into the outbox inside the caller's transaction, so state and event commit together. */
export class OutboxWriter {
  private readonly validate: EventValidator;
  private readonly topicFor: (eventType: string) => string;

  constructor(options: OutboxWriterOptions = {}) {
    this.validate = options.validate ?? parseCloudEvent;
    this.topicFor = options.topicFor ?? topicForEventType;
  }

  /** Appends one event; `manager` must be the transaction's EntityManager. */
  async append(manager: EntityManager, event: CloudEvent, options: AppendOptions = {}): Promise<void> {
    await this.appendMany(manager, [event], options);
  }

  /** Appends events in the given order (their seq, and so their publish order, follows it). */
  async appendMany(manager: EntityManager, events: readonly CloudEvent[], options: AppendOptions = {}): Promise<void> {
    if (events.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      // Outside a transaction the event could commit without the state change (or vice versa).
      throw new Error('OutboxWriter: append must run inside a transaction (pass the transaction EntityManager)');
    }
    const params: unknown[] = [];
    const rows: string[] = [];
    for (const event of events) {
      const checked = this.validate(event);
      if (!checked.ok) throw new Error(`OutboxWriter: invalid event ${event.id} (${event.type}): ${checked.error}`);
      const topic = options.topic ?? this.topicFor(event.type);
      const base = params.length;
      params.push(event.id, topic, event.subject, event.type, JSON.stringify(event), event.departmentid);
      rows.push(`($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}::jsonb, $${base + 6})`);
    }
    // One multi-row INSERT: identity values are assigned in VALUES order. The row's
    // department is the event's; row-level security refuses one outside the transaction's tenant.
    await manager.query(
      `INSERT INTO outbox (id, topic, message_key, event_type, payload, department_id) VALUES ${rows.join(', ')}`,
      params,
    );
  }
}
