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
import { TEST_ARCHIVED, TEST_CREATED, testEvent, testOrigin, testValidator } from './__fixtures__/test-events';

describe('inbox: a handler shipped later catches up on the retained stream', () => {
  const { brokers, control } = requireBrokerEnv();
  const kafka = testKafka(brokers, 'inbox-catch-up-test');
  let db: TestDatabase;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    db = await messagingTestDatabase('msg_catchup');
  });

  afterAll(async () => {
    for (const c of consumers) await c.stop().catch(() => undefined);
    await db?.drop();
    destroyKafkaSockets();
  });

  const apply: EventHandler<{ n: number }> = async (event, ctx) => {
    await ctx.manager.query('INSERT INTO test_effect (event_id, subject, n) VALUES ($1, $2, $3)', [
      event.id,
      event.subject,
      event.data.n,
    ]);
  };

  function consumer(
    topic: string,
    groupId: string,
    handlers: Record<string, EventHandler>,
    registry: Registry,
  ): EventConsumer {
    const c = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId,
      // The service's inbox name stays the same when its group changes.
      inboxConsumer: 'catch-up-service',
      // Subscriptions come from the handled types (test types all live on this topic).
      topicFor: () => topic,
      handlers,
      validate: testValidator,
      checkOrigin: testOrigin,
      retry: { attempts: 2, baseMs: 10, maxMs: 50 },
      logger: quietLogger(),
      registry,
    });
    consumers.push(c);
    return c;
  }

  it('skips unhandled types without recording them; a new group with the new handler applies them once and nothing twice', async () => {
    const { topic } = await createTestTopic(control, 1);
    const created = [1, 2, 3].map((n) => testEvent(`agg-${n}`, n, TEST_CREATED));
    const archived = [1, 2, 3].map((n) => testEvent(`agg-${n}`, 10 + n, TEST_ARCHIVED));
    const interleaved = created.flatMap((c, i) => [c, archived[i]!]);
    await produceRaw(
      kafka,
      topic,
      interleaved.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    );

    // Version 1 of the service handles only `created`.
    const v1Registry = new Registry();
    const v1 = consumer(topic, `catch-up-v1-${randomSuffix()}`, { [TEST_CREATED]: apply }, v1Registry);
    expect(v1.subscribedTopics()).toEqual([topic]);
    await v1.start();
    await waitFor('v1 to reach the end of the topic', () => v1.status().lag[`${topic}/0`] === 0);
    expect(await effectIds(db)).toEqual(created.map((e) => e.id).sort());
    // Only what was handled is recorded: the archived events stay applicable.
    expect(await inboxIds(db)).toEqual(created.map((e) => e.id).sort());
    expect(await outcomes(v1Registry)).toEqual({ processed: 3, ignored: 3 });
    await v1.stop();

    // Version 2 ships the `archived` handler and catches up under a new group (the
    // documented procedure): the whole retained stream comes again through the inbox.
    const v2Registry = new Registry();
    const v2 = consumer(
      topic,
      `catch-up-v2-${randomSuffix()}`,
      { [TEST_CREATED]: apply, [TEST_ARCHIVED]: apply },
      v2Registry,
    );
    await v2.start();
    await waitFor('v2 to reach the end of the topic', () => v2.status().lag[`${topic}/0`] === 0);
    const rows: { event_id: string; n: string }[] = await db.ownerDataSource.query(
      'SELECT event_id, count(*) AS n FROM test_effect GROUP BY event_id',
    );
    expect(rows.map((r) => r.event_id).sort()).toEqual(interleaved.map((e) => e.id).sort());
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(await outcomes(v2Registry)).toEqual({ processed: 3, duplicate: 3 });
    expect(await inboxIds(db)).toEqual(interleaved.map((e) => e.id).sort());
  });
});

async function effectIds(db: TestDatabase): Promise<string[]> {
  const rows: { event_id: string }[] = await db.ownerDataSource.query('SELECT event_id FROM test_effect');
  return rows.map((r) => r.event_id).sort();
}

async function inboxIds(db: TestDatabase): Promise<string[]> {
  const rows: { event_id: string }[] = await db.ownerDataSource.query('SELECT event_id FROM inbox');
  return rows.map((r) => r.event_id).sort();
}

async function outcomes(registry: Registry): Promise<Record<string, number>> {
  const consumed = await registry.getSingleMetric('cit_events_consumed_total')!.get();
  return Object.fromEntries(consumed.values.map((v) => [String(v.labels.outcome), v.value]));
}
