import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import type { CloudEvent } from '@cit/contracts';
import type { TestDatabase } from '@cit/persistence';
import { Registry } from 'prom-client';
import { CitKafkaTransport } from './cit-kafka.transport';
import type { EventConsumer, InboxContext } from './event-consumer';
import { headerString } from './kafka-message';
import {
  collectTopic,
  createTestTopic,
  destroyKafkaSockets,
  messagingTestDatabase,
  produceRaw,
  quietLogger,
  randomSuffix,
  requireBrokerEnv,
  testKafka,
  waitFor,
} from './__fixtures__/messaging-harness';
import { TEST_CREATED, TEST_FAILING, testEvent, testOrigin, testValidator } from './__fixtures__/test-events';

@Controller()
class TestItemsController {
  @EventPattern(TEST_CREATED)
  async created(@Payload() event: CloudEvent<{ n: number }>, @Ctx() ctx: InboxContext): Promise<void> {
    await ctx.manager.query('INSERT INTO test_effect (event_id, subject, n) VALUES ($1, $2, $3)', [
      event.id,
      event.subject,
      event.data.n,
    ]);
  }

  @EventPattern(TEST_FAILING)
  async failing(@Payload() event: CloudEvent<{ n: number }>, @Ctx() ctx: InboxContext): Promise<void> {
    await ctx.manager.query('INSERT INTO test_effect (event_id, subject, n) VALUES ($1, $2, $3)', [
      event.id,
      event.subject,
      event.data.n,
    ]);
    throw new Error('nest handler failure');
  }
}

@Module({ controllers: [TestItemsController] })
class TestItemsModule {}

@Module({})
class NoHandlersModule {}

describe('CitKafkaTransport (Nest microservice)', () => {
  const { brokers, control } = requireBrokerEnv();
  const kafka = testKafka(brokers, 'nest-transport-test');
  let db: TestDatabase;

  beforeAll(async () => {
    db = await messagingTestDatabase('msg_nest');
  });

  afterAll(async () => {
    await db?.drop();
    destroyKafkaSockets();
  });

  it('routes @EventPattern handlers through the inbox transaction and dead-letters a failing one', async () => {
    const { topic, dlq } = await createTestTopic(control, 1);
    const transport = new CitKafkaTransport({
      kafka,
      dataSource: db.dataSource,
      groupId: `nest-${randomSuffix()}`,
      // Subscriptions come from the @EventPattern types (both test types live on this topic).
      topicFor: () => topic,
      validate: testValidator,
      checkOrigin: testOrigin,
      retry: { attempts: 2, baseMs: 10, maxMs: 50 },
      logger: quietLogger(),
      registry: new Registry(),
    });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(TestItemsModule, {
      strategy: transport,
      logger: false,
    });
    expect(transport.expectsConsumer()).toBe(true);
    await app.listen();
    try {
      expect(transport.unwrap<EventConsumer>().subscribedTopics()).toEqual([topic]);
      expect(transport.expectsConsumer()).toBe(true);
      const ok = testEvent('agg-n', 1);
      const bad = testEvent('agg-n', 2, TEST_FAILING);
      const last = testEvent('agg-n', 3);
      await produceRaw(
        kafka,
        topic,
        [ok, bad, last].map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
      );

      await waitFor('the event after the failing one to be handled', async () =>
        (await effectIds(db)).includes(last.id),
      );
      expect((await effectIds(db)).sort()).toEqual([ok.id, last.id].sort());
      const inbox: { event_id: string }[] = await db.ownerDataSource.query('SELECT event_id FROM inbox');
      expect(inbox.map((r) => r.event_id).sort()).toEqual([ok.id, last.id].sort());
      expect(transport.unwrap<EventConsumer>().status().running).toBe(true);

      const collector = await collectTopic(kafka, dlq);
      try {
        await waitFor('the dead letter', () => collector.messages.length === 1);
        expect(JSON.parse(collector.messages[0]!.value!.toString()).id).toBe(bad.id);
        expect(headerString(collector.messages[0]!.headers, 'dlq-error')).toMatch(/^failed: /);
        expect(headerString(collector.messages[0]!.headers, 'dlq-original-offset')).toBe('1');
      } finally {
        await collector.stop();
      }
    } finally {
      await app.close();
    }
    expect(() => transport.unwrap()).toThrow(/not listening/);
  });

  it('starts no consumer when the service has no event handlers', async () => {
    const transport = new CitKafkaTransport({
      kafka,
      dataSource: db.dataSource,
      groupId: `nest-none-${randomSuffix()}`,
      logger: quietLogger(),
      registry: new Registry(),
    });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(NoHandlersModule, {
      strategy: transport,
      logger: false,
    });
    await app.listen();
    try {
      expect(transport.expectsConsumer()).toBe(false);
      expect(() => transport.unwrap()).toThrow(/not listening/);
    } finally {
      await app.close();
    }
  });
});

async function effectIds(db: TestDatabase): Promise<string[]> {
  const rows: { event_id: string }[] = await db.ownerDataSource.query('SELECT event_id FROM test_effect');
  return rows.map((r) => r.event_id);
}
