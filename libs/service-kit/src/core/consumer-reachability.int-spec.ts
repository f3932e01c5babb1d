/**
 * The consumer and broker checks of the health detail follow the broker with no traffic at
 * all: an idle consumer on a private mock cluster stays healthy by kafkajs' own account
 * through an outage (no lag, no crash), so the detail must read its fetches and heartbeats,
 * and the broker probe must ask the cluster rather than trust the producer's connected flag.
 */
import { randomBytes } from 'node:crypto';
import {
  createKafka,
  EventConsumer,
  messagingEntities,
  MessagingOutboxStatus1764633600000,
  MessagingTables1732700000000,
  MessagingTenancy1764806400000,
} from '@cit/messaging';
import { createTestDatabase, type TestDatabase } from '@cit/persistence';
import { startKafkaMock, waitFor, type KafkaMockProcess } from '@cit/testing';
import { Registry } from 'prom-client';
import { BrokerProbe } from './broker-probe';
import { assessBroker, assessConsumer } from './dependency-health';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('consumer and broker checks through an outage with no traffic (private mock cluster)', () => {
  let mock: KafkaMockProcess;
  let db: TestDatabase;
  let consumer: EventConsumer | undefined;
  let probe: BrokerProbe | undefined;

  beforeAll(async () => {
    mock = await startKafkaMock(1);
    db = await createTestDatabase({
      entities: [...messagingEntities],
      migrations: [MessagingTables1732700000000, MessagingOutboxStatus1764633600000, MessagingTenancy1764806400000],
      prefix: 'reachability',
    });
  });

  afterAll(async () => {
    await mock?.control.brokersUp().catch(() => undefined);
    await consumer?.stop().catch(() => undefined);
    await probe?.close();
    await db?.drop();
    await mock?.stop();
  });

  it('reports the consumer silent and the broker unreachable while it is down, and both back after', async () => {
    const topic = `cit.test-reach-${randomBytes(3).toString('hex')}.v1`;
    await mock.control.createTopic(topic, 1);
    const kafka = createKafka({ clientId: 'reachability-test', brokers: mock.brokers, logger: quiet });
    consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: `reach-${randomBytes(3).toString('hex')}`,
      topics: [topic],
      handlers: {},
      validate: () => ({ ok: false, error: 'no events expected' }),
      checkOrigin: () => ({ ok: true }),
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 500,
      maxWaitTimeMs: 200,
      logger: quiet,
      registry: new Registry(),
    });
    await consumer.start();
    probe = new BrokerProbe(kafka, { timeoutMs: 1000, maxAgeMs: 0 });
    const silentAfterMs = 3000;
    const consumerCheck = () => assessConsumer(consumer!.status(), new Date(), silentAfterMs);

    await waitFor('the idle consumer to fetch', () => consumer!.status().lastFetchAt != null);
    expect(consumerCheck().ok).toBe(true);
    expect(assessBroker(await probe.probe()).ok).toBe(true);

    await mock.control.brokersDown();
    const down = await waitFor(
      'the consumer check to see the outage',
      () => {
        const r = consumerCheck();
        return r.ok ? undefined : r;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(down.error).toMatch(/^no fetch or heartbeat answered for \d+ s$/);
    // kafkajs' own view stays healthy: idle, no lag, not crashed — which is why the detail reads the fetches.
    expect(consumer.status().healthy).toBe(true);
    const broker = assessBroker(await probe.probe());
    expect(broker).toMatchObject({ ok: false, detail: { reachable: false } });

    await mock.control.brokersUp();
    await waitFor('the consumer check to clear', () => consumerCheck().ok, { timeoutMs: 60_000, intervalMs: 250 });
    await waitFor('the broker check to clear', async () => assessBroker(await probe!.probe()).ok, {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    expect((await probe.probe()).unreachableSince).toBeNull();
  });
});
