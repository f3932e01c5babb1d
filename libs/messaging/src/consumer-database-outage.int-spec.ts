import type { TestDatabase } from '@cit/persistence';
import { Client } from 'pg';
import { Registry } from 'prom-client';
import { EventConsumer } from './event-consumer';
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
import { TEST_CREATED, testEvent, testOrigin, testValidator } from './__fixtures__/test-events';

describe('consumer: a database outage while consuming holds the partition instead of dead-lettering', () => {
  const { brokers, control } = requireBrokerEnv();
  const kafka = testKafka(brokers, 'consumer-db-outage-test');
  let db: TestDatabase;
  let admin: Client;
  let consumer: EventConsumer | undefined;

  /** Ends every session of the test database and refuses new ones (superusers included). */
  async function databaseDown(): Promise<void> {
    await admin.query(`ALTER DATABASE "${db.databaseName}" ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [db.databaseName],
    );
  }

  async function databaseUp(): Promise<void> {
    await admin.query(`ALTER DATABASE "${db.databaseName}" ALLOW_CONNECTIONS true`);
  }

  beforeAll(async () => {
    db = await messagingTestDatabase('msg_db_outage');
    const url = new URL(db.url);
    url.pathname = '/postgres';
    admin = new Client({ connectionString: url.toString() });
    await admin.connect();
  });

  afterAll(async () => {
    await databaseUp().catch(() => undefined);
    await consumer?.stop().catch(() => undefined);
    await admin?.end().catch(() => undefined);
    await db?.drop();
    destroyKafkaSockets();
  });

  it('dead-letters nothing, holds the partition, and applies every message once after the database returns', async () => {
    const { topic, dlq } = await createTestTopic(control, 1);
    const events = [1, 2, 3, 4].map((n) => testEvent('agg-db', n));
    let releaseInFlight!: () => void;
    const inFlightReleased = new Promise<void>((r) => (releaseInFlight = r));
    let inFlightStarted!: () => void;
    const inFlight = new Promise<void>((r) => (inFlightStarted = r));
    const logger = quietLogger();
    consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: `db-outage-${randomSuffix()}`,
      topics: [topic],
      validate: testValidator,
      checkOrigin: testOrigin,
      retry: { attempts: 3, baseMs: 20, maxMs: 100 },
      logger,
      registry: new Registry(),
      handlers: {
        [TEST_CREATED]: async (event, ctx) => {
          // Event 2's first attempt is in its transaction when the database goes away.
          if (event.data.n === 2 && ctx.attempt === 1) {
            inFlightStarted();
            await inFlightReleased;
          }
          await ctx.manager.query('INSERT INTO test_effect (event_id, subject, n) VALUES ($1, $2, $3)', [
            event.id,
            event.subject,
            event.data.n,
          ]);
        },
      },
    });
    await consumer.start();
    await produceRaw(kafka, topic, [{ key: 'agg-db', value: JSON.stringify(events[0]) }]);
    await waitFor('the first event applied', async () => (await effectCounts(db))[events[0]!.id] === 1);

    const progressBefore = consumer.status().lastProgressAt;
    await produceRaw(
      kafka,
      topic,
      events.slice(1).map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    );
    await inFlight;
    await databaseDown();
    releaseInFlight();
    // Far longer than 3 handler attempts take: a consumer without the hold would have
    // dead-lettered event 2 (the broker is fine) and moved on by now.
    await new Promise((r) => setTimeout(r, 4000));
    // Held: no offset moved past event 2.
    expect(consumer.status().lastProgressAt).toEqual(progressBefore);
    expect(logger.lines.some((l) => l.msg === 'database unreachable; holding partition')).toBe(true);
    await databaseUp();

    await waitFor(
      'every event applied after the database returned',
      async () => {
        const counts = await effectCounts(db);
        return events.every((e) => counts[e.id] === 1);
      },
      // Generous: on a loaded 2-core CI machine the rejoin and the hold's backoff once took over 40 s.
      90_000,
      200,
    );
    const counts = await effectCounts(db);
    expect(events.map((e) => counts[e.id])).toEqual([1, 1, 1, 1]);
    await waitFor('lag 0', () => consumer!.status().lag[`${topic}/0`] === 0);

    const collector = await collectTopic(kafka, dlq);
    try {
      // Give a stray dead letter time to arrive before asserting there is none.
      await new Promise((r) => setTimeout(r, 2000));
      expect(collector.messages).toHaveLength(0);
    } finally {
      await collector.stop();
    }
    expect(logger.lines.filter((l) => l.msg === 'message dead-lettered')).toHaveLength(0);
  }, 150_000);
});

async function effectCounts(db: TestDatabase): Promise<Record<string, number>> {
  const rows: { event_id: string; n: string }[] = await db.ownerDataSource.query(
    'SELECT event_id, count(*) AS n FROM test_effect GROUP BY event_id',
  );
  return Object.fromEntries(rows.map((r) => [r.event_id, Number(r.n)]));
}
