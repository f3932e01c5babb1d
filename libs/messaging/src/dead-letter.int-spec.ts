import type { TestDatabase } from '@cit/persistence';
import { Registry } from 'prom-client';
import { EventConsumer } from './event-consumer';
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

describe('dead letters: poison messages and failing handlers do not block the partition', () => {
  const { brokers, control } = requireBrokerEnv();
  const kafka = testKafka(brokers, 'dead-letter-test');
  let db: TestDatabase;
  let consumer: EventConsumer | undefined;

  beforeAll(async () => {
    db = await messagingTestDatabase('msg_dlq');
  });

  afterAll(async () => {
    await consumer?.stop().catch(() => undefined);
    await db?.drop();
    destroyKafkaSockets();
  });

  it('dead-letters non-JSON, schema-invalid and always-failing messages with their coordinates, then moves on', async () => {
    const { topic, dlq } = await createTestTopic(control, 1);
    const before = testEvent('agg-p', 1);
    const schemaInvalid = { ...testEvent('agg-p', 2), data: { n: 'SECRET-NARRATIVE' } };
    const failing = testEvent('agg-p', 3, TEST_FAILING);
    const after = testEvent('agg-p', 4);
    const notJson = 'SECRET-NARRATIVE {not json';
    await produceRaw(kafka, topic, [
      { key: 'agg-p', value: JSON.stringify(before) },
      { key: 'agg-p', value: notJson, headers: { ce_id: 'raw-1' } },
      { key: 'agg-p', value: JSON.stringify(schemaInvalid) },
      { key: 'agg-p', value: JSON.stringify(failing) },
      { key: 'agg-p', value: JSON.stringify(after) },
    ]);

    let failingCalls = 0;
    const registry = new Registry();
    consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: `dlq-${randomSuffix()}`,
      topics: [topic],
      validate: testValidator,
      checkOrigin: testOrigin,
      retry: { attempts: 3, baseMs: 20, maxMs: 100 },
      logger: quietLogger(),
      registry,
      handlers: {
        [TEST_CREATED]: async (event, ctx) => {
          await ctx.manager.query('INSERT INTO test_effect (event_id, subject, n) VALUES ($1, $2, $3)', [
            event.id,
            event.subject,
            event.data.n,
          ]);
        },
        [TEST_FAILING]: async (event, ctx) => {
          failingCalls++;
          // Written, then rolled back by the throw: a failed attempt must leave no effect.
          await ctx.manager.query('INSERT INTO test_effect (event_id, subject, n) VALUES ($1, $2, $3)', [
            event.id,
            event.subject,
            event.data.n,
          ]);
          throw new Error('downstream rejected the update');
        },
      },
    });
    await consumer.start();

    await waitFor(
      'the event after the poison messages to be processed',
      async () => (await effectIds(db)).includes(after.id),
      30_000,
    );
    expect(await effectIds(db)).toEqual(expect.arrayContaining([before.id, after.id]));
    expect(await effectIds(db)).not.toContain(failing.id);
    expect(failingCalls).toBe(3);
    const inbox: { event_id: string }[] = await db.ownerDataSource.query('SELECT event_id FROM inbox');
    expect(inbox.map((r) => r.event_id).sort()).toEqual([before.id, after.id].sort());

    const collector = await collectTopic(kafka, dlq);
    try {
      await waitFor('three dead letters', () => collector.messages.length >= 3, 20_000);
      const letters = [...collector.messages].sort((a, b) => Number(a.offset) - Number(b.offset));
      expect(letters).toHaveLength(3);
      const meta = letters.map((m) => ({
        key: m.key,
        value: m.value!.toString(),
        error: headerString(m.headers, 'dlq-error'),
        reason: headerString(m.headers, 'dlq-reason'),
        topic: headerString(m.headers, 'dlq-original-topic'),
        partition: headerString(m.headers, 'dlq-original-partition'),
        offset: headerString(m.headers, 'dlq-original-offset'),
        group: headerString(m.headers, 'dlq-consumer-group'),
        failedAt: headerString(m.headers, 'dlq-failed-at'),
      }));
      expect(meta.map((m) => m.value)).toEqual([notJson, JSON.stringify(schemaInvalid), JSON.stringify(failing)]);
      expect(meta.map((m) => m.offset)).toEqual(['1', '2', '3']);
      expect(meta.map((m) => m.reason)).toEqual(['invalid', 'invalid', 'failed']);
      for (const m of meta) {
        expect(m).toMatchObject({ key: 'agg-p', topic, partition: '0' });
        expect(m.group).toMatch(/^dlq-/);
        expect(Number.isNaN(Date.parse(m.failedAt!))).toBe(false);
        // The reason names the problem without quoting the payload (it may be PHI).
        expect(m.error).not.toContain('SECRET');
      }
      expect(meta[0]!.error).toMatch(/not valid JSON/);
      expect(meta[1]!.error).toMatch(/^invalid: data\.n/);
      expect(meta[2]!.error).toMatch(/^failed: .*downstream rejected the update/);
      expect(headerString(letters[0]!.headers, 'ce_id')).toBe('raw-1');
    } finally {
      await collector.stop();
    }

    const dlqMetric = await registry.getSingleMetric('cit_dlq_messages_total')!.get();
    expect(Object.fromEntries(dlqMetric.values.map((v) => [v.labels.reason, v.value]))).toEqual({
      invalid: 2,
      failed: 1,
    });
    const retries = await registry.getSingleMetric('cit_handler_retries_total')!.get();
    expect(retries.values.reduce((s, v) => s + v.value, 0)).toBe(2);
    await waitFor('lag 0 after the partition moved past the poison', () => consumer!.status().lag[`${topic}/0`] === 0);
    expect(consumer.status().healthy).toBe(true);
  });

  it('applies once a handler that fails fewer times than attempts; dead-letters exactly the one that always fails', async () => {
    const { topic, dlq } = await createTestTopic(control, 1);
    const transient = testEvent('agg-t', 1);
    const failing = testEvent('agg-t', 2, TEST_FAILING);
    const after = testEvent('agg-t', 3);
    await produceRaw(
      kafka,
      topic,
      [transient, failing, after].map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    );

    const transientFailures = 2;
    const attemptsSeen: number[] = [];
    const registry = new Registry();
    const group = `dlq-transient-${randomSuffix()}`;
    await consumer?.stop();
    consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: group,
      topics: [topic],
      validate: testValidator,
      checkOrigin: testOrigin,
      retry: { attempts: 4, baseMs: 20, maxMs: 100 },
      logger: quietLogger(),
      registry,
      handlers: {
        [TEST_CREATED]: async (event, ctx) => {
          await ctx.manager.query('INSERT INTO test_effect (event_id, subject, n) VALUES ($1, $2, $3)', [
            event.id,
            event.subject,
            event.data.n,
          ]);
          if (event.id === transient.id) {
            attemptsSeen.push(ctx.attempt);
            // The insert above is rolled back with each failed attempt.
            if (ctx.attempt <= transientFailures) throw new Error('downstream busy');
          }
        },
        [TEST_FAILING]: async () => {
          throw new Error('always refused');
        },
      },
    });
    await consumer.start();

    await waitFor(
      'the event after the failing one applied',
      async () => (await effectIds(db)).includes(after.id),
      30_000,
    );
    const counts: { event_id: string; n: string }[] = await db.ownerDataSource.query(
      'SELECT event_id, count(*) AS n FROM test_effect WHERE event_id = ANY($1) GROUP BY event_id',
      [[transient.id, failing.id, after.id]],
    );
    expect(Object.fromEntries(counts.map((r) => [r.event_id, Number(r.n)]))).toEqual({
      [transient.id]: 1,
      [after.id]: 1,
    });
    expect(attemptsSeen).toEqual([1, 2, 3]);

    const collector = await collectTopic(kafka, dlq);
    try {
      await waitFor('the dead letter', () => collector.messages.length >= 1, 20_000);
      // Time for a second (wrong) dead letter to show up.
      await new Promise((r) => setTimeout(r, 1500));
      expect(collector.messages).toHaveLength(1);
      const letter = collector.messages[0]!;
      expect(JSON.parse(letter.value!.toString()).id).toBe(failing.id);
      expect(letter.key).toBe('agg-t');
      expect({
        topic: headerString(letter.headers, 'dlq-original-topic'),
        partition: headerString(letter.headers, 'dlq-original-partition'),
        offset: headerString(letter.headers, 'dlq-original-offset'),
        group: headerString(letter.headers, 'dlq-consumer-group'),
      }).toEqual({ topic, partition: '0', offset: '1', group });
      expect(headerString(letter.headers, 'dlq-error')).toMatch(/^failed: .*always refused/);
    } finally {
      await collector.stop();
    }
    const dlqMetric = await registry.getSingleMetric('cit_dlq_messages_total')!.get();
    expect(dlqMetric.values.map((v) => [v.labels.reason, v.value])).toEqual([['failed', 1]]);
    // 2 retries of the transient event + 3 of the failing one.
    const retries = await registry.getSingleMetric('cit_handler_retries_total')!.get();
    expect(retries.values.reduce((s, v) => s + v.value, 0)).toBe(5);
    await waitFor('lag 0', () => consumer!.status().lag[`${topic}/0`] === 0);
  });

  it('dead-letters an event whose departmentid is missing or malformed before anything is read or written', async () => {
    const { topic, dlq } = await createTestTopic(control, 1);
    const { departmentid: _omitted, ...missing } = testEvent('agg-d', 1);
    const empty = { ...testEvent('agg-d', 2), departmentid: '' };
    const malformed = { ...testEvent('agg-d', 3), departmentid: "dept-a' OR true --" };
    const notText = { ...testEvent('agg-d', 4), departmentid: 42 };
    const after = testEvent('agg-d', 5);
    const poison = [missing, empty, malformed, notText];
    await produceRaw(
      kafka,
      topic,
      [...poison, after].map((e) => ({ key: 'agg-d', value: JSON.stringify(e) })),
    );

    const handled: string[] = [];
    await consumer?.stop();
    consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: `dlq-dept-${randomSuffix()}`,
      topics: [topic],
      validate: testValidator,
      checkOrigin: testOrigin,
      retry: { attempts: 2, baseMs: 20, maxMs: 100 },
      logger: quietLogger(),
      registry: new Registry(),
      handlers: {
        [TEST_CREATED]: async (event, ctx) => {
          handled.push(event.id);
          await ctx.manager.query('INSERT INTO test_effect (event_id, subject, n) VALUES ($1, $2, $3)', [
            event.id,
            event.subject,
            event.data.n,
          ]);
        },
      },
    });
    await consumer.start();
    await waitFor(
      'the valid event after the poison to be applied',
      async () => (await effectIds(db)).includes(after.id),
      30_000,
    );
    // The handler never ran for them, no inbox row claimed them, no effect exists.
    expect(handled).toEqual([after.id]);
    const ids = poison.map((e) => e.id);
    expect(await db.ownerDataSource.query('SELECT event_id FROM inbox WHERE event_id = ANY($1)', [ids])).toEqual([]);
    expect(await db.ownerDataSource.query('SELECT event_id FROM test_effect WHERE event_id = ANY($1)', [ids])).toEqual(
      [],
    );

    const collector = await collectTopic(kafka, dlq);
    try {
      await waitFor('four dead letters', () => collector.messages.length >= 4, 20_000);
      const letters = [...collector.messages].sort((a, b) => Number(a.offset) - Number(b.offset));
      expect(letters.map((m) => JSON.parse(m.value!.toString()).id)).toEqual(ids);
      for (const m of letters) expect(headerString(m.headers, 'dlq-error')).toMatch(/^invalid: /);
    } finally {
      await collector.stop();
    }
  });
});

async function effectIds(db: TestDatabase): Promise<string[]> {
  const rows: { event_id: string }[] = await db.ownerDataSource.query('SELECT event_id FROM test_effect');
  return rows.map((r) => r.event_id);
}
