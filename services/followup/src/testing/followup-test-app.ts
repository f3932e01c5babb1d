import { randomBytes } from 'node:crypto';
import { Module, type INestApplication, type Type } from '@nestjs/common';
import { issueDevToken, type Role } from '@cit/auth';
import { buildEvent, topicForEventType, type CloudEvent, type EventData, type EventType } from '@cit/contracts';
import { createKafka, type EventConsumer } from '@cit/messaging';
import { createTestDatabase, runtimeRoleName, type TestDatabase } from '@cit/persistence';
import { createServiceApp, loadServiceEnv } from '@cit/service-kit';
import { waitFor } from '@cit/testing';
import { CitKafkaTransport } from '@cit/messaging';
import type { Producer } from 'kafkajs';
import Redis from 'ioredis';
import { followupService } from '../followup.definition';
import { FollowupModule } from '../followup.module';
import type { FollowupOptions } from '../reminders/followup-options';

function FollowupAppForTest(options: Partial<FollowupOptions>): Type<unknown> {
  @Module({ imports: [FollowupModule.forRoot(options)] })
  class FollowupTestModule {}
  return FollowupTestModule;
}

/** Redis database index of followup's tests (and never anyone else's): flushing it touches nobody. */
export const TEST_REDIS_DB = 15;

/** REDIS_URL pointed at the tests' own database index. */
export function testRedisUrl(): string {
  const u = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  u.pathname = `/${TEST_REDIS_DB}`;
  return u.toString();
}

export interface FollowupTestApp {
  app: INestApplication;
  url: string;
  db: TestDatabase;
  run: string;
  options: Partial<FollowupOptions> & { queuePrefix: string };
  env: Record<string, string | undefined>;
  redis: Redis;
  token(role: Role, department?: string, extra?: { districts?: string[]; subject?: string }): Promise<string>;
  /** Publishes an event built from libs/contracts on its topic, as its producer's relay would. */
  publish<T extends EventType>(type: T, subject: string, data: EventData<T>, department?: string): Promise<CloudEvent>;
  /** Publishes raw bytes on a topic (bad input). */
  publishRaw(topic: string, key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Start the Kafka consumer (event-driven tests). */
  consume?: boolean;
  followup?: Partial<FollowupOptions>;
  /** Reuse a database (a second app instance on the same data). */
  db?: TestDatabase;
}

/** Followup on its own database, Redis db 15 under its own queue prefix, and (optionally) its own consumer group. */
export async function startFollowupTestApp(prefix: string, start: StartOptions = {}): Promise<FollowupTestApp> {
  const run = randomBytes(4).toString('hex');
  const db =
    start.db ??
    (await createTestDatabase({
      entities: followupService.entities,
      migrations: followupService.migrations,
      prefix,
      runtimeRole: runtimeRoleName(followupService.name),
      appendOnlyTables: followupService.appendOnlyTables,
    }));
  const options = { queuePrefix: `cit-followup-test-${run}`, ...start.followup };
  const env = {
    ...process.env,
    DATABASE_NAME: db.databaseName,
    REDIS_URL: testRedisUrl(),
    CONSUMER_GROUP: `cit.followup.test-${run}`,
    CONSUMER_FROM_BEGINNING: 'false',
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    LOG_LEVEL: process.env.LOG_LEVEL_TEST ?? 'warn',
  };
  const app = await createServiceApp(followupService, FollowupAppForTest(options), loadServiceEnv(env));
  await app.listen(0, '127.0.0.1');
  if (start.consume) {
    await app.startAllMicroservices();
    const transport = (app as unknown as { microservices: Array<{ serverInstance: unknown }> }).microservices
      .map((m) => m.serverInstance)
      .find((s): s is CitKafkaTransport => s instanceof CitKafkaTransport);
    await waitFor('the test consumer to join its group', () => transport?.unwrap<EventConsumer>().status().connected, {
      timeoutMs: 60000,
    });
    // The new group starts at the end: give it a moment to resolve its offsets before anything is produced.
    await new Promise((r) => setTimeout(r, 1500));
  }
  const kafka = createKafka({
    clientId: `followup-test-${run}`,
    brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
  });
  let producer: Producer | undefined;
  const send = async (topic: string, key: string, value: string) => {
    if (!producer) {
      producer = kafka.producer();
      await producer.connect();
    }
    await producer.send({ topic, acks: -1, messages: [{ key, value }] });
  };
  const redis = new Redis(testRedisUrl(), { lazyConnect: true });
  await redis.connect();
  return {
    app,
    url: await app.getUrl(),
    db,
    run,
    options,
    env,
    redis,
    token: (role, department = 'dept-a', extra = {}) => issueDevToken({ roles: [role], department, ...extra }),
    async publish(type, subject, data, department = 'dept-a') {
      const event = buildEvent(type, subject, data, { departmentId: department, correlationId: `cor-${run}` });
      await send(topicForEventType(type), subject, JSON.stringify(event));
      return event;
    },
    publishRaw: send,
    async close() {
      await producer?.disconnect().catch(() => undefined);
      await app.close();
      await redis.quit().catch(() => undefined);
      if (!start.db) await db.drop();
    },
  };
}
