import { EntitySchema } from 'typeorm';

/** One row of the transactional outbox: an event committed with the state change it records. */
export interface OutboxRecord {
  /** The CloudEvent id. */
  id: string;
  /** Commit order; the relay publishes by ascending seq. bigint arrives as a string. */
  seq: string;
  topic: string;
  /** Kafka key: the CloudEvent subject (aggregate id), so one aggregate stays on one partition. */
  messageKey: string;
  eventType: string;
  /** The whole CloudEvent, published as the message value. */
  payload: Record<string, unknown>;
  createdAt: Date;
  publishedAt: Date | null;
  /** pending → published, or failed (set aside after repeated failures; ops can retry it). */
  status: OutboxStatus;
  /** Failed publish attempts since the row was written or last retried (+1 for the publish itself). */
  attempts: number;
  lastError: string | null;
  failedAt: Date | null;
  /** The event's department; row-level security scopes the row to it (MessagingTenancy1764806400000). */
  departmentId: string;
}

/** Delivery status of an outbox row (column added by MessagingOutboxStatus1764633600000). */
export type OutboxStatus = 'pending' | 'published' | 'failed';

/** One processed event per consumer: the dedupe record committed with the handler's effects. */
export interface InboxRecord {
  consumer: string;
  eventId: string;
  processedAt: Date;
  /** The consumed event's department (MessagingTenancy1764806400000). */
  departmentId: string;
}

// EntitySchema rather than decorators: no reliance on emitted decorator metadata, so the
// entities load the same under tsc, swc and tsx.
/** TypeORM mapping of the `outbox` table (created by MessagingTables1732700000000). */
export const OutboxEntity = new EntitySchema<OutboxRecord>({
  name: 'OutboxRecord',
  tableName: 'outbox',
  columns: {
    id: { type: 'uuid', primary: true },
    // The table uses GENERATED ALWAYS AS IDENTITY (see the migration); never written by TypeORM.
    seq: { type: 'bigint', generated: 'increment', insert: false, update: false },
    topic: { type: 'text' },
    messageKey: { type: 'text', name: 'message_key' },
    eventType: { type: 'text', name: 'event_type' },
    payload: { type: 'jsonb' },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    publishedAt: { type: 'timestamptz', name: 'published_at', nullable: true },
    status: { type: 'text', default: 'pending' },
    attempts: { type: 'int', default: 0 },
    lastError: { type: 'text', name: 'last_error', nullable: true },
    failedAt: { type: 'timestamptz', name: 'failed_at', nullable: true },
    departmentId: { type: 'text', name: 'department_id' },
  },
});

/** TypeORM mapping of the `inbox` table (created by MessagingTables1732700000000). */
export const InboxEntity = new EntitySchema<InboxRecord>({
  name: 'InboxRecord',
  tableName: 'inbox',
  columns: {
    consumer: { type: 'text', primary: true },
    eventId: { type: 'text', name: 'event_id', primary: true },
    processedAt: { type: 'timestamptz', name: 'processed_at', createDate: true },
    departmentId: { type: 'text', name: 'department_id' },
  },
});

/** Entities to add to a service's DataSource `entities` list. */
export const messagingEntities = [OutboxEntity, InboxEntity];
