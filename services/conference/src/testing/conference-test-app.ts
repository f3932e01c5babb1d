import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { issueDevToken, type Role } from '@cit/auth';
import { buildEvent, topicForEventType, type CloudEvent, type EventData, type EventType } from '@cit/contracts';
import { CitKafkaTransport, createKafka, type EventConsumer, type InboxContext } from '@cit/messaging';
import { createTestDatabase, runtimeRoleName, setTenant, type TestDatabase } from '@cit/persistence';
import { createServiceApp, loadServiceEnv } from '@cit/service-kit';
import type { Consumer, Producer } from 'kafkajs';
import { conferenceService } from '../conference.definition';
import { ConferenceModule } from '../conference.module';

/** An event handler class as the service registers it (`@EventPattern` on `handle`). */
export interface EventHandlerClass {
  new (...args: never[]): { handle(event: CloudEvent<never>, ctx: InboxContext): Promise<unknown> };
}

/** A row of the service's outbox: the events it wrote, in order. */
export interface OutboxEvent {
  type: string;
  subject: string;
  departmentId: string;
  data: Record<string, unknown>;
}

export interface ConferenceTestApp {
  app: INestApplication;
  url: string;
  /** dataSource runs as cit_conference (under RLS, like the app), ownerDataSource as the owner (fixtures, inspection). */
  db: TestDatabase;
  /** Random per run: use it in agency ids and subjects to stay apart from other runs on the shared broker. */
  run: string;
  /** A staff token with one role. */
  token(role: Role, department?: string, subject?: string): Promise<string>;
  /** A partner token bound to one member agency. */
  partnerToken(agencyId: string, department?: string): Promise<string>;
  /** Publishes an event built from libs/contracts on its topic, as its producer's relay would (needs consume: true to be applied). */
  publish<T extends EventType>(type: T, subject: string, data: EventData<T>, department?: string): Promise<CloudEvent>;
  /**
   * Applies an event straight through a handler class, in an inbox transaction under the
   * event's department exactly as the consumer would (no broker round trip). Returns false
   * when the inbox had already seen the event.
   */
  deliver<T extends EventType>(
    handler: EventHandlerClass,
    type: T,
    subject: string,
    data: EventData<T>,
    department?: string,
    event?: CloudEvent,
  ): Promise<{ event: CloudEvent; applied: boolean }>;
  /** Events the service wrote to its outbox (optionally of one type), oldest first, read as the owner. */
  outbox(type?: string): Promise<OutboxEvent[]>;
  /** Collects every message of a topic from its beginning (a consumer of its own group). */
  collect(topic: string): Promise<{ messages: { key: string; value: string }[] }>;
  close(): Promise<void>;
}

export interface ConferenceTestAppOptions {
  /** Starts the inbox consumer on a throwaway group reading from the end of the topics. */
  consume?: boolean;
  /** Interval of the session horizon job in ms (default 0: off, tests drive it themselves). */
  horizonIntervalMs?: number;
}

/** Starts the conference service as the real one does (chassis, auth, outbox relay) on a new test database. */
export async function startConferenceTestApp(
  prefix: string,
  options: ConferenceTestAppOptions = {},
): Promise<ConferenceTestApp> {
  const run = randomBytes(4).toString('hex');
  const db = await createTestDatabase({
    entities: conferenceService.entities,
    migrations: conferenceService.migrations,
    prefix,
    runtimeRole: runtimeRoleName(conferenceService.name),
    appendOnlyTables: conferenceService.appendOnlyTables,
  });
  // Read once by the series module at boot (see series-options.ts).
  process.env.CONFERENCE_HORIZON_INTERVAL_MS = String(options.horizonIntervalMs ?? 0);
  const env = {
    ...process.env,
    DATABASE_NAME: db.databaseName,
    CONSUMER_GROUP: `cit.conference.test-${run}`,
    CONSUMER_FROM_BEGINNING: 'false',
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    LOG_LEVEL: process.env.LOG_LEVEL_TEST ?? 'warn',
  };
  const app = await createServiceApp(conferenceService, ConferenceModule, loadServiceEnv(env));
  await app.listen(0, '127.0.0.1');
  if (options.consume) {
    await app.startAllMicroservices();
    const transport = (app as unknown as { microservices: Array<{ serverInstance: unknown }> }).microservices
      .map((m) => m.serverInstance)
      .find((s): s is CitKafkaTransport => s instanceof CitKafkaTransport);
    // @cit/testing's waitFor is not part of the app's build graph: poll here.
    const deadline = Date.now() + 60000;
    while (!transport?.unwrap<EventConsumer>().status().connected) {
      if (Date.now() > deadline) throw new Error('the test consumer did not join its group within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    // The new group starts at the end: give it a moment to resolve its offsets before anything is produced.
    await new Promise((r) => setTimeout(r, 1500));
  }
  const kafka = createKafka({
    clientId: `conference-test-${run}`,
    brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
  });
  let producer: Producer | undefined;
  const consumers: Consumer[] = [];
  return {
    app,
    url: await app.getUrl(),
    db,
    run,
    token: (role, department = 'dept-a', subject) =>
      issueDevToken({ roles: [role], department, ...(subject ? { subject } : {}) }),
    partnerToken: (agency, department = 'dept-a') => issueDevToken({ department, agency }),
    async publish(type, subject, data, department = 'dept-a') {
      const event = buildEvent(type, subject, data, { departmentId: department, correlationId: `cor-${run}` });
      if (!producer) {
        producer = kafka.producer();
        await producer.connect();
      }
      await producer.send({
        topic: topicForEventType(type),
        acks: -1,
        messages: [{ key: subject, value: JSON.stringify(event) }],
      });
      return event;
    },
    async deliver(handler, type, subject, data, department = 'dept-a', given) {
      const event = given ?? buildEvent(type, subject, data, { departmentId: department, correlationId: `cor-${run}` });
      const instance = app.get(handler);
      const applied = await db.dataSource.transaction(async (manager) => {
        await setTenant(manager, event.departmentid);
        const claimed: unknown[] = await manager.query(
          'INSERT INTO inbox (consumer, event_id, department_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id',
          [`conference-test-${run}`, event.id, event.departmentid],
        );
        if (claimed.length === 0) return false;
        await instance.handle(event as CloudEvent<never>, {
          manager,
          consumer: `conference-test-${run}`,
          topic: topicForEventType(type),
          partition: 0,
          offset: '0',
          key: subject,
          attempt: 1,
        });
        return true;
      });
      return { event, applied };
    },
    async outbox(type) {
      const rows: Array<{ event: CloudEvent<Record<string, unknown>> }> = await db.ownerDataSource.query(
        `SELECT payload AS event FROM outbox ${type ? 'WHERE event_type = $1' : ''} ORDER BY seq`,
        type ? [type] : [],
      );
      return rows.map(({ event }) => ({
        type: event.type,
        subject: event.subject,
        departmentId: event.departmentid,
        data: event.data,
      }));
    },
    async collect(topic) {
      const sink = { messages: [] as { key: string; value: string }[] };
      const consumer = kafka.consumer({ groupId: `conference-test-${run}-${consumers.length}`, sessionTimeout: 6000 });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          sink.messages.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
        },
      });
      return sink;
    },
    async close() {
      for (const c of consumers) await c.disconnect().catch(() => undefined);
      await producer?.disconnect().catch(() => undefined);
      await app.close();
      await db.drop();
    },
  };
}
