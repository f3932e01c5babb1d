import type { TestDatabase } from '@cit/persistence';
import { startKafkaMock, type KafkaControl, type KafkaMockProcess } from '@cit/testing';
import type { KafkaClient } from './kafka-client';
import { Registry } from 'prom-client';
import { EventConsumer } from './event-consumer';
import { OutboxRelay } from './outbox-relay';
import {
  collectTopic,
  createTestTopic,
  destroyKafkaSockets,
  effectCount,
  messagingTestDatabase,
  quietLogger,
  randomSuffix,
  recordTestEffect,
  testKafka,
  waitFor,
  writeEvents,
} from './__fixtures__/messaging-harness';
import { TEST_CREATED, testEvent } from './__fixtures__/test-events';
import { testOrigin, testValidator } from './__fixtures__/test-events';

describe('all brokers down for 5 seconds', () => {
  // A private cluster: taking every broker down (and injecting produce errors) must not
  // disturb the other Kafka tests running in parallel on the shared mock.
  let mock: KafkaMockProcess;
  let control: KafkaControl;
  let kafka: KafkaClient;
  let db: TestDatabase;
  let relay: OutboxRelay | undefined;
  let consumer: EventConsumer | undefined;

  beforeAll(async () => {
    mock = await startKafkaMock(3);
    control = mock.control;
    kafka = testKafka(mock.brokers, 'outage-test');
    db = await messagingTestDatabase('msg_outage');
  });

  afterAll(async () => {
    await control?.brokersUp().catch(() => undefined);
    await consumer?.stop().catch(() => undefined);
    await relay?.stop().catch(() => undefined);
    await db?.drop();
    destroyKafkaSockets();
    await mock?.stop();
  });

  it('publishes and consumes every event written during the outage once the brokers return', async () => {
    const { topic } = await createTestTopic(control, 3);
    const registry = new Registry();
    relay = new OutboxRelay({
      dataSource: db.dataSource,
      kafka,
      service: 'outage-test',
      pollIntervalMs: 200,
      backoff: { baseMs: 100, maxMs: 1000 },
      logger: quietLogger(),
      registry,
    });
    consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: `outage-${randomSuffix()}`,
      // A consumer that crashed while every broker was down could not leave its group; the
      // rejoin waits out the old member's session, so keep it short here.
      sessionTimeoutMs: 8_000,
      heartbeatIntervalMs: 1_000,
      topics: [topic],
      validate: testValidator,
      checkOrigin: testOrigin,
      logger: quietLogger(),
      registry,
      handlers: {
        [TEST_CREATED]: recordTestEffect,
      },
    });
    relay.start();
    await consumer.start();

    const written: string[] = [];
    const write = async (k: number) => {
      const events = Array.from({ length: 5 }, (_, i) => testEvent(`agg-${(k + i) % 7}`, k * 5 + i));
      await writeEvents(db.dataSource, topic, events);
      written.push(...events.map((e) => e.id));
    };

    for (let k = 0; k < 4; k++) await write(k);
    await waitFor('events before the outage to be consumed', async () => (await effectCount(db)) === 20, 30_000);

    await control.brokersDown();
    const downAt = Date.now();
    let k = 4;
    while (Date.now() - downAt < 5000) {
      await write(k++);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Nothing can have been published while every broker refused connections.
    const backlogDuringOutage = (await relay.status()).backlog;
    await control.brokersUp();
    expect(backlogDuringOutage).toBeGreaterThan(0);
    const total = written.length;
    expect(total).toBeGreaterThan(60);

    await waitFor(
      'outbox fully published after the outage',
      async () => (await relay!.status()).backlog === 0,
      60_000,
      250,
    );
    await waitFor('every event consumed after the outage', async () => (await effectCount(db)) >= total, 60_000, 250);

    const rows: { event_id: string; n: string }[] = await db.ownerDataSource.query(
      'SELECT event_id, count(*) AS n FROM test_effect GROUP BY event_id',
    );
    expect(rows.map((r) => r.event_id).sort()).toEqual([...written].sort());
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    // An outage is nobody's row: no row was charged a failed attempt (or set aside) for it.
    const charged: { n: string }[] = await db.ownerDataSource.query(
      `SELECT count(*) AS n FROM outbox WHERE attempts <> 1 OR status <> 'published'`,
    );
    expect(Number(charged[0]!.n)).toBe(0);
    expect(await registry.getSingleMetricAsString('cit_outbox_backlog')).toContain(
      'cit_outbox_backlog{service="outage-test"} 0',
    );
    expect(await registry.getSingleMetricAsString('cit_outbox_published_total')).toContain(
      `cit_outbox_published_total{service="outage-test"} ${total}`,
    );
    const status = await relay.status();
    expect(status.leader).toBe(true);
    expect(status.lastPublishAt).not.toBeNull();
  });

  it('retries a batch the broker rejected (non-retriable produce error) instead of dropping it', async () => {
    const { topic } = await createTestTopic(control, 1);
    const logger = quietLogger();
    const rejecting = new OutboxRelay({
      dataSource: db.dataSource,
      kafka,
      service: 'reject-test',
      pollIntervalMs: 100,
      backoff: { baseMs: 50, maxMs: 200 },
      logger,
      registry: new Registry(),
    });
    // Stop the first test's relay so this one is the leader of the database.
    await relay?.stop();
    relay = rejecting;
    // Produce (API key 0) fails with RECORD_INVALID (87), which kafkajs does not retry itself.
    await control.injectErrors(0, 87, 2);
    const events = Array.from({ length: 10 }, (_, i) => testEvent('agg-r', i));
    await writeEvents(db.dataSource, topic, events);
    rejecting.start();
    await waitFor(
      'the rejected batch to be published on a later attempt',
      async () => (await rejecting.status()).backlog === 0,
      30_000,
      100,
    );
    const collector = await collectTopic(kafka, topic);
    try {
      await waitFor(
        'the rejected events on the topic',
        () => {
          const ids = new Set(collector.messages.map((m) => JSON.parse(m.value!.toString()).id as string));
          return events.every((e) => ids.has(e.id));
        },
        30_000,
        100,
      );
    } finally {
      await collector.stop();
    }
    const rows: { id: string; attempts: number; last_error: string | null; status: string }[] =
      await db.ownerDataSource.query(
        'SELECT id, attempts, last_error, status FROM outbox WHERE id = ANY($1::uuid[]) ORDER BY seq',
        [events.map((e) => e.id)],
      );
    // The refused batch is charged to no row; the row-by-row retry that met the second
    // injected error is charged to the one row it sent (then the publish counts as an attempt).
    expect(rows.map((r) => r.attempts)).toEqual([2, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(rows.every((r) => r.last_error === null && r.status === 'published')).toBe(true);
    expect(logger.lines.filter((l) => l.msg?.startsWith('outbox batch refused'))).toHaveLength(1);
    expect(logger.lines.filter((l) => l.msg === 'outbox row failed to publish; will retry')).toHaveLength(1);
  });
});
