import type { TestDatabase } from '@cit/persistence';
import { Registry } from 'prom-client';
import { EventConsumer, type EventHandler } from './event-consumer';
import {
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
import { TEST_CREATED, testEvent, testOrigin, testValidator } from './__fixtures__/test-events';

describe('inbox: the same event delivered twice is applied once', () => {
  const { brokers, control } = requireBrokerEnv();
  const kafka = testKafka(brokers, 'inbox-dedupe-test');
  let db: TestDatabase;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    db = await messagingTestDatabase('msg_inbox');
  });

  afterAll(async () => {
    for (const c of consumers) await c.stop().catch(() => undefined);
    await db?.drop();
    destroyKafkaSockets();
  });

  const applyEffect: EventHandler<{ n: number }> = async (event, ctx) => {
    await ctx.manager.query('INSERT INTO test_effect (event_id, subject, n) VALUES ($1, $2, $3)', [
      event.id,
      event.subject,
      event.data.n,
    ]);
    await ctx.manager.query(`UPDATE test_counter SET value = value + 1 WHERE name = 'handled'`);
  };

  function consumer(topic: string, groupId: string, registry: Registry): EventConsumer {
    const c = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId,
      inboxConsumer: 'dedupe-test',
      topics: [topic],
      handlers: { [TEST_CREATED]: applyEffect },
      validate: testValidator,
      checkOrigin: testOrigin,
      logger: quietLogger(),
      registry,
    });
    consumers.push(c);
    return c;
  }

  it('skips a duplicate message and a full redelivery after a restart with lost offsets', async () => {
    const { topic } = await createTestTopic(control, 1);
    const dup = testEvent('agg-dup', 1);
    const other = testEvent('agg-dup', 2);
    const value = JSON.stringify(dup);
    await produceRaw(kafka, topic, [
      { key: dup.subject, value },
      { key: dup.subject, value },
      { key: other.subject, value: JSON.stringify(other) },
    ]);

    const registry = new Registry();
    const first = consumer(topic, `dedupe-${randomSuffix()}`, registry);
    await first.start();
    await waitFor('the event after the duplicate to be handled', () => effects(db, other.id).then((n) => n === 1));
    await waitFor('consumer to report no lag', () => first.status().lag[`${topic}/0`] === 0);

    expect(await effects(db, dup.id)).toBe(1);
    expect(await counter(db)).toBe(2);
    expect(await inboxRows(db, dup.id)).toBe(1);
    const consumed = await registry.getSingleMetric('cit_events_consumed_total')!.get();
    const byOutcome = Object.fromEntries(consumed.values.map((v) => [v.labels.outcome, v.value]));
    expect(byOutcome).toEqual({ processed: 2, duplicate: 1 });
    await first.stop();

    // A new group has no committed offsets: everything is delivered again, as after a crash
    // between the inbox commit and the offset commit. The inbox must absorb all of it.
    const third = testEvent('agg-dup', 3);
    await produceRaw(kafka, topic, [{ key: third.subject, value: JSON.stringify(third) }]);
    const again = consumer(topic, `dedupe-${randomSuffix()}`, new Registry());
    await again.start();
    await waitFor('the new event to be handled after the redelivery', () => effects(db, third.id).then((n) => n === 1));
    expect(await effects(db, dup.id)).toBe(1);
    expect(await effects(db, other.id)).toBe(1);
    expect(await counter(db)).toBe(3);
    expect(await inboxRows(db, dup.id)).toBe(1);
  });
});

async function effects(db: TestDatabase, eventId: string): Promise<number> {
  const rows: { n: string }[] = await db.ownerDataSource.query(
    'SELECT count(*) AS n FROM test_effect WHERE event_id = $1',
    [eventId],
  );
  return Number(rows[0]!.n);
}

async function counter(db: TestDatabase): Promise<number> {
  const rows: { value: number }[] = await db.ownerDataSource.query(
    `SELECT value FROM test_counter WHERE name = 'handled'`,
  );
  return rows[0]!.value;
}

async function inboxRows(db: TestDatabase, eventId: string): Promise<number> {
  const rows: { n: string }[] = await db.ownerDataSource.query('SELECT count(*) AS n FROM inbox WHERE event_id = $1', [
    eventId,
  ]);
  return Number(rows[0]!.n);
}
