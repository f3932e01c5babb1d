import type { EventConsumerOptions } from '@cit/messaging';
import type { MixedList, EntitySchema } from 'typeorm';

/** What a service tells the chassis about itself. */
export interface ServiceDefinition {
  /** Short name: intake, triage, referral, conference, followup. */
  name: string;
  defaultPort: number;
  title: string;
  description: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /**
   * Tables the runtime role may read and insert into but never UPDATE, DELETE or TRUNCATE
   * (e.g. audit_log); applied by the grant that follows every migration run.
   */
  appendOnlyTables?: readonly string[];
  /** Longest a request may take (Node's default is 5 minutes; streaming imports need longer). */
  httpRequestTimeoutMs?: number;
  /**
   * Content types handed to handlers as the unread request stream (bulk imports): the JSON
   * body limit does not apply to them, so the route must enforce caps of its own.
   */
  streamedContentTypes?: readonly string[];
  /**
   * Consumer tuning (libs/messaging EventConsumerOptions): `batch` applies up to maxEvents
   * consecutive events of a partition in one inbox transaction; `partitionsConsumedConcurrently`
   * runs that many partitions at once, each holding a database connection while it works (keep
   * it well under DATABASE_POOL_SIZE); `maxWaitTimeMs` is the broker's longest wait for a fetch.
   * Default: one event per transaction, one partition at a time, 1,000 ms.
   */
  consumer?: Pick<EventConsumerOptions, 'batch' | 'partitionsConsumedConcurrently' | 'maxWaitTimeMs'>;
}

/** The database a service owns, unless DATABASE_NAME overrides it. */
export function serviceDatabaseName(def: ServiceDefinition, override?: string): string {
  return override ?? `cit_${def.name}`;
}

/** The consumer group of a service: one group per service, shared by its replicas. */
export function serviceConsumerGroup(def: ServiceDefinition): string {
  return `cit.${def.name}`;
}
