import { randomBytes } from 'node:crypto';
import { Module, type INestApplication, type Type } from '@nestjs/common';
import { issueDevToken, type Role } from '@cit/auth';
import { buildEvent, topicForEventType, type CloudEvent, type EventData, type EventType } from '@cit/contracts';
import { CitKafkaTransport, createKafka, type EventConsumer } from '@cit/messaging';
import { createTestDatabase, runtimeRoleName, type TestDatabase } from '@cit/persistence';
import { createServiceApp, loadServiceEnv } from '@cit/service-kit';
import { waitFor } from '@cit/testing';
import type { Consumer, Producer } from 'kafkajs';
import type { ReferralOptions } from '../referral-options';
import { referralService } from '../referral.definition';
import { referralModuleMetadata } from '../referral.module';

function ReferralAppForTest(options: Partial<ReferralOptions>): Type<unknown> {
  @Module(referralModuleMetadata(options))
  class ReferralTestModule {}
  return ReferralTestModule;
}

export interface ReferralTestApp {
  app: INestApplication;
  url: string;
  db: TestDatabase;
  /** Random per run: agency ids built from it get fresh partner topics on the shared broker. */
  run: string;
  token(role: Role, department?: string): Promise<string>;
  partnerToken(agencyId: string, department?: string): Promise<string>;
  /** Publishes an event built from libs/contracts on its stream topic, as its producer's relay would. */
  publish<T extends EventType>(type: T, subject: string, data: EventData<T>, department?: string): Promise<CloudEvent>;
  /** Collects every message of a topic from its beginning (a consumer of its own group). */
  collect(topic: string): Promise<{ messages: { key: string; value: string }[] }>;
  close(): Promise<void>;
}

/** The referral service on a fresh database, its queue named after it, optionally with its own consumer group. */
export async function startReferralTestApp(
  prefix: string,
  start: { consume?: boolean; referral?: Partial<ReferralOptions> } = {},
): Promise<ReferralTestApp> {
  const run = randomBytes(4).toString('hex');
  const db = await createTestDatabase({
    entities: referralService.entities,
    migrations: referralService.migrations,
    prefix,
    runtimeRole: runtimeRoleName(referralService.name),
    appendOnlyTables: referralService.appendOnlyTables,
  });
  const env = {
    ...process.env,
    DATABASE_NAME: db.databaseName,
    CONSUMER_GROUP: `cit.referral.test-${run}`,
    CONSUMER_FROM_BEGINNING: 'false',
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    LOG_LEVEL: process.env.LOG_LEVEL_TEST ?? 'warn',
  };
  const app = await createServiceApp(
    referralService,
    ReferralAppForTest({
      slaSweepIntervalMs: 0,
      webhookBackoffBaseMs: 200,
      webhookBackoffCapMs: 1000,
      ...start.referral,
    }),
    loadServiceEnv(env),
  );
  await app.listen(0, '127.0.0.1');
  if (start.consume) {
    await app.startAllMicroservices();
    const transport = (app as unknown as { microservices: Array<{ serverInstance: unknown }> }).microservices
      .map((m) => m.serverInstance)
      .find((s): s is CitKafkaTransport => s instanceof CitKafkaTransport);
    await waitFor('the test consumer to join its group', () => transport?.unwrap<EventConsumer>().status().connected, {
      timeoutMs: 60000,
    });
    await new Promise((r) => setTimeout(r, 1500));
  }
  const kafka = createKafka({
    clientId: `referral-test-${run}`,
    brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
  });
  let producer: Producer | undefined;
  const consumers: Consumer[] = [];
  return {
    app,
    url: await app.getUrl(),
    db,
    run,
    token: (role, department = 'dept-a') => issueDevToken({ roles: [role], department }),
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
    async collect(topic) {
      const sink = { messages: [] as { key: string; value: string }[] };
      const consumer = kafka.consumer({ groupId: `referral-test-${run}-${consumers.length}`, sessionTimeout: 6000 });
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
