import type { TestDatabase } from '@cit/persistence';
import { startKafkaMock, type KafkaControl, type KafkaMockProcess } from '@cit/testing';
import { Registry } from 'prom-client';
import { EventConsumer } from './event-consumer';
import type { KafkaClient } from './kafka-client';
import {
  createTestTopic,
  destroyKafkaSockets,
  effectCount,
  messagingTestDatabase,
  produceRaw,
  quietLogger,
  randomSuffix,
  recordTestEffect,
  testKafka,
  waitFor,
} from './__fixtures__/messaging-harness';
import { TEST_CREATED, testEvent, testOrigin, testValidator } from './__fixtures__/test-events';

const SYNC_GROUP = 14;
const INVALID_REQUEST = 42;

describe('a consumer kafkajs gives up on (an error it does not retry)', () => {
  // A private cluster: injected errors are cluster-wide and must not reach the other Kafka tests.
  let mock: KafkaMockProcess;
  let control: KafkaControl;
  let kafka: KafkaClient;
  let db: TestDatabase;
  let consumer: EventConsumer | undefined;

  beforeAll(async () => {
    mock = await startKafkaMock(1);
    control = mock.control;
    kafka = testKafka(mock.brokers, 'crash-recovery-test');
    db = await messagingTestDatabase('msg_crash');
  });

  afterAll(async () => {
    await consumer?.stop().catch(() => undefined);
    await db?.drop();
    destroyKafkaSockets();
    await mock?.stop();
  });

  it('rejoins its group and applies the events, once each', async () => {
    const { topic } = await createTestTopic(control, 2);
    const logger = quietLogger();
    // The coordinator answers the first SyncGroup with INVALID_REQUEST, as the mock cluster does to
    // a member that syncs after the group is already up: kafkajs crashes the consumer for good.
    await control.injectErrors(SYNC_GROUP, INVALID_REQUEST, 1);
    consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: `crash-${randomSuffix()}`,
      sessionTimeoutMs: 8_000,
      heartbeatIntervalMs: 1_000,
      topics: [topic],
      validate: testValidator,
      checkOrigin: testOrigin,
      logger,
      registry: new Registry(),
      handlers: {
        [TEST_CREATED]: recordTestEffect,
      },
    });
    await consumer.start();
    await waitFor('kafkajs to give the consumer up', async () => consumer!.status().crashed !== undefined, 30_000);

    const events = Array.from({ length: 10 }, (_, i) => testEvent(`agg-${i % 3}`, i));
    await produceRaw(
      kafka,
      topic,
      events.map((e) => ({ key: e.subject ?? e.id, value: JSON.stringify(e) })),
    );

    await waitFor(
      'every event applied after the rejoin',
      async () => (await effectCount(db)) === events.length,
      60_000,
    );
    const rows: { event_id: string; n: string }[] = await db.ownerDataSource.query(
      'SELECT event_id, count(*) AS n FROM test_effect GROUP BY event_id',
    );
    expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    const status = consumer.status();
    expect(status.crashed).toBeUndefined();
    expect(status.healthy).toBe(true);
    expect(logger.lines.some((l) => l.msg === 'consumer crashed')).toBe(true);
    expect(logger.lines.some((l) => l.msg === 'consumer given up by kafkajs; rejoining')).toBe(true);
  });
});
