import { enableTenantIsolation, TENANT_SETTING, type TestDatabase } from '@cit/persistence';
import type { CloudEvent } from '@cit/contracts';
import { Registry } from 'prom-client';
import { EventConsumer, type EventHandler } from './event-consumer';
import { createProducer } from './kafka-client';
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

/**
 * Batched consumption (EventConsumerOptions.batch): consecutive events of a partition share
 * one inbox transaction, each under its own department; a failing batch is applied again one
 * event at a time; a redelivery applies nothing twice.
 */
describe('batched consumption: many events, one inbox transaction', () => {
  const { brokers, control } = requireBrokerEnv();
  const kafka = testKafka(brokers, 'consumer-batch-test');
  let db: TestDatabase;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    db = await messagingTestDatabase('msg_batch');
    // A department table like a service's: row-level security on department_id.
    const q = db.ownerDataSource.createQueryRunner();
    try {
      await q.query(
        `CREATE TABLE batch_effect (event_id text NOT NULL, department_id text NOT NULL, tenant text, txid bigint NOT NULL)`,
      );
      await enableTenantIsolation(q, 'batch_effect');
      await q.query(`GRANT SELECT, INSERT ON batch_effect TO ${db.runtimeRole}`);
    } finally {
      await q.release();
    }
  });

  afterAll(async () => {
    for (const c of consumers) await c.stop().catch(() => undefined);
    await db?.drop();
    destroyKafkaSockets();
  });

  const calls = new Map<string, number>();
  const record: EventHandler<{ n: number }> = async (event, ctx) => {
    calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
    // The tenant the statement runs under, and the transaction it runs in.
    await ctx.manager.query(
      `INSERT INTO batch_effect (event_id, department_id, tenant, txid)
       VALUES ($1, $2, NULLIF(current_setting('${TENANT_SETTING}', true), ''), txid_current())`,
      [event.id, event.departmentid],
    );
  };

  function start(topic: string, groupId: string, registry = new Registry()): Promise<EventConsumer> {
    const c = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId,
      inboxConsumer: 'batch-test',
      topics: [topic],
      validate: testValidator,
      checkOrigin: testOrigin,
      retry: { attempts: 3, baseMs: 20, maxMs: 100 },
      batch: { maxEvents: 50 },
      logger: quietLogger(),
      registry,
      handlers: {
        [TEST_CREATED]: record,
        [TEST_FAILING]: async (event, ctx) => {
          // Written (and counted), then rolled back by the throw.
          await record(event, ctx);
          throw new Error('downstream rejected the update');
        },
      },
    });
    consumers.push(c);
    return c.start().then(() => c);
  }

  const inDepartment = (event: CloudEvent<{ n: number }>, departmentid: string) => ({ ...event, departmentid });

  async function effects(ids: string[]) {
    return (await db.ownerDataSource.query(
      'SELECT event_id, department_id, tenant, txid::text AS txid FROM batch_effect WHERE event_id = ANY($1)',
      [ids],
    )) as { event_id: string; department_id: string; tenant: string | null; txid: string }[];
  }

  it('a poison event in the middle: the others applied exactly once, the poison dead-lettered', async () => {
    const { topic, dlq } = await createTestTopic(control, 1);
    const events = Array.from({ length: 9 }, (_, i) =>
      inDepartment(testEvent('agg-b', i + 1, i === 4 ? TEST_FAILING : TEST_CREATED), i % 2 ? 'dept-b' : 'dept-a'),
    );
    const poison = events[4]!;
    const good = events.filter((e) => e !== poison);
    await produceRaw(
      kafka,
      topic,
      events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    );
    const registry = new Registry();
    await start(topic, `batch-poison-${randomSuffix()}`, registry);

    const collector = await collectTopic(kafka, dlq);
    try {
      await waitFor('the dead letter', () => collector.messages.length >= 1, 30_000);
      await waitFor('every good event applied', async () => (await effects(good.map((e) => e.id))).length >= 8);
      expect(collector.messages).toHaveLength(1);
      expect(headerString(collector.messages[0]!.headers, 'dlq-original-offset')).toBe('4');
      expect(headerString(collector.messages[0]!.headers, 'dlq-error')).toMatch(/downstream rejected the update/);
    } finally {
      await collector.stop();
    }
    const rows = await effects(events.map((e) => e.id));
    expect(rows.map((r) => r.event_id).sort()).toEqual(good.map((e) => e.id).sort());
    for (const row of rows) expect(row.tenant).toBe(row.department_id);
    const inbox: { event_id: string }[] = await db.ownerDataSource.query(
      'SELECT event_id FROM inbox WHERE event_id = ANY($1)',
      [events.map((e) => e.id)],
    );
    expect(inbox.map((r) => r.event_id).sort()).toEqual(good.map((e) => e.id).sort());
    // The batch was tried first (the events before the poison ran in it), then one at a time.
    expect(calls.get(events[0]!.id)).toBe(2);
    expect(calls.get(poison.id)).toBe(1 + 3);
    const consumed = await registry.getSingleMetric('cit_events_consumed_total')!.get();
    expect(consumed.values.reduce((s, v) => s + v.value, 0)).toBe(8);
  });

  it('an invalid message ends a run: dead-lettered alone, the events around it batched', async () => {
    const { topic, dlq } = await createTestTopic(control, 1);
    const [a, b, c, d] = [1, 2, 3, 4].map((n) => testEvent('agg-i', n));
    await produceRaw(kafka, topic, [
      ...[a!, b!].map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
      { key: 'agg-i', value: '{not json' },
      ...[c!, d!].map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    ]);
    await start(topic, `batch-invalid-${randomSuffix()}`);
    const ids = [a!, b!, c!, d!].map((e) => e.id);
    await waitFor('the four events applied', async () => (await effects(ids)).length >= 4);
    const tx = Object.fromEntries((await effects(ids)).map((r) => [r.event_id, r.txid]));
    expect(tx[a!.id]).toBe(tx[b!.id]);
    expect(tx[c!.id]).toBe(tx[d!.id]);
    expect(tx[a!.id]).not.toBe(tx[c!.id]);
    const collector = await collectTopic(kafka, dlq);
    try {
      await waitFor('the dead letter', () => collector.messages.length >= 1, 20_000);
      expect(collector.messages.map((m) => headerString(m.headers, 'dlq-original-offset'))).toEqual(['2']);
    } finally {
      await collector.stop();
    }
  });

  it('events of two departments in one batch each run under their own department; a redelivery applies nothing', async () => {
    const { topic } = await createTestTopic(control, 1);
    const events = Array.from({ length: 12 }, (_, i) =>
      inDepartment(testEvent(`agg-d${i % 3}`, i + 1), i % 3 === 0 ? 'dept-b' : 'dept-a'),
    );
    const ids = events.map((e) => e.id);
    await produceRaw(
      kafka,
      topic,
      events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    );
    await start(topic, `batch-tenants-${randomSuffix()}`);
    await waitFor('every event applied', async () => (await effects(ids)).length >= events.length);

    const rows = await effects(ids);
    expect(rows).toHaveLength(events.length);
    for (const e of events)
      expect(rows.find((r) => r.event_id === e.id)).toMatchObject({
        department_id: e.departmentid,
        tenant: e.departmentid,
      });
    // Shared transactions: fewer transactions than events, and one of them held both departments.
    const departmentsByTx = new Map<string, Set<string>>();
    for (const r of rows) departmentsByTx.set(r.txid, (departmentsByTx.get(r.txid) ?? new Set()).add(r.department_id));
    expect(departmentsByTx.size).toBeLessThan(events.length);
    expect([...departmentsByTx.values()].some((d) => d.size === 2)).toBe(true);
    // Row-level security holds in the runtime role: a department reads only its own effects.
    const seenByA = await db.dataSource.transaction(async (m) => {
      await m.query('SELECT set_config($1, $2, true)', [TENANT_SETTING, 'dept-a']);
      return (await m.query('SELECT event_id FROM batch_effect WHERE event_id = ANY($1)', [ids])) as unknown[];
    });
    expect(seenByA).toHaveLength(events.filter((e) => e.departmentid === 'dept-a').length);

    // The same batch again through a new group (same inbox consumer): every event a duplicate.
    const registry = new Registry();
    const replay = await start(topic, `batch-replay-${randomSuffix()}`, registry);
    await waitFor('the replay to reach the end', () => replay.status().lag[`${topic}/0`] === 0, 30_000);
    const consumed = await registry.getSingleMetric('cit_events_consumed_total')!.get();
    expect(Object.fromEntries(consumed.values.map((v) => [v.labels.outcome, v.value]))).toEqual({
      duplicate: events.length,
    });
    expect(await effects(ids)).toHaveLength(events.length);
  });

  it('partitions consumed concurrently: batches that deadlock each other are applied once, one falling back', async () => {
    const { topic, dlq } = await createTestTopic(control, 2);
    // Partition 0 locks X then Y, partition 1 locks Y then X: the two batch transactions deadlock.
    const p0 = [testEvent('agg-x', 1), testEvent('agg-x', 2)];
    const p1 = [testEvent('agg-y', 3), testEvent('agg-y', 4)];
    const lockOf = (n: number) => (n === 1 || n === 4 ? 'X' : 'Y');
    let arrived = 0;
    let bothArrived!: () => void;
    const barrier = new Promise<void>((r) => (bothArrived = r));
    const waited = new Set<string>();
    const producer = createProducer(kafka);
    await producer.connect();
    try {
      for (const [partition, events] of [p0, p1].entries())
        await producer.send({
          topic,
          acks: -1,
          messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e), partition })),
        });
    } finally {
      await producer.disconnect();
    }
    const logger = quietLogger();
    const c = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: `batch-deadlock-${randomSuffix()}`,
      inboxConsumer: 'batch-test',
      topics: [topic],
      validate: testValidator,
      checkOrigin: testOrigin,
      retry: { attempts: 5, baseMs: 50, maxMs: 500 },
      batch: { maxEvents: 10 },
      partitionsConsumedConcurrently: 2,
      logger,
      registry: new Registry(),
      handlers: {
        [TEST_CREATED]: async (event, ctx) => {
          await ctx.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`batch-test/${lockOf(event.data.n)}`]);
          // The first event of each partition waits (once) until both batches hold their first lock.
          if ((event.data.n === 1 || event.data.n === 3) && !waited.has(event.id)) {
            waited.add(event.id);
            if (++arrived === 2) bothArrived();
            await Promise.race([barrier, new Promise((r) => setTimeout(r, 5000))]);
          }
          await record(event, ctx);
        },
      },
    });
    consumers.push(c);
    await c.start();
    const ids = [...p0, ...p1].map((e) => e.id);
    await waitFor('every event applied', async () => (await effects(ids)).length >= 4, 60_000);
    await waitFor(
      'lag 0 on both partitions',
      () => c.status().lag[`${topic}/0`] === 0 && c.status().lag[`${topic}/1`] === 0,
    );

    const rows = await effects(ids);
    expect(rows.map((r) => r.event_id).sort()).toEqual([...ids].sort());
    expect(arrived).toBe(2);
    const fallbacks = logger.lines.filter((l) => l.msg === 'batch failed; applying its events one at a time');
    expect(fallbacks).toHaveLength(1);
    expect(JSON.stringify(fallbacks[0]!.obj)).toMatch(/deadlock/);
    const collector = await collectTopic(kafka, dlq);
    try {
      await new Promise((r) => setTimeout(r, 1500));
      expect(collector.messages).toHaveLength(0);
    } finally {
      await collector.stop();
    }
  }, 90_000);
});
