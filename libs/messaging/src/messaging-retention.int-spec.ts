import { randomUUID } from 'node:crypto';
import type { TestDatabase } from '@cit/persistence';
import { Registry } from 'prom-client';
import { purgeMessagingTables } from './messaging-retention';
import { OutboxRelay } from './outbox-relay';
import {
  destroyKafkaSockets,
  messagingTestDatabase,
  quietLogger,
  requireBrokerEnv,
  testKafka,
  waitFor,
} from './__fixtures__/messaging-harness';

const DAY = 24 * 60 * 60 * 1000;

describe('messaging retention: old published outbox rows and old inbox rows are deleted in bounded batches', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await messagingTestDatabase('msg_retention');
  });

  afterEach(async () => {
    await db?.drop();
  });

  afterAll(() => destroyKafkaSockets());

  /** Inserts outbox rows in one of three states, aged `ageDays`. */
  async function outboxRows(
    status: 'pending' | 'published' | 'failed',
    ageDays: number,
    count: number,
  ): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await db.ownerDataSource.query(
      // Rows of many departments: retention works across them through its system scope.
      `INSERT INTO outbox (id, topic, message_key, event_type, payload, created_at, status, published_at, failed_at, department_id)
       SELECT id, 'cit.test.v1', 'k', 'cit.test-item.created.v1', '{}'::jsonb, now() - make_interval(days => $2),
              $3, CASE WHEN $3 = 'published' THEN now() - make_interval(days => $2) END,
              CASE WHEN $3 = 'failed' THEN now() - make_interval(days => $2) END, 'dept-' || left(id::text, 1)
         FROM unnest($1::uuid[]) AS id`,
      [ids, ageDays, status],
    );
    return ids;
  }

  async function inboxRows(ageDays: number, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await db.ownerDataSource.query(
      `INSERT INTO inbox (consumer, event_id, processed_at, department_id)
       SELECT 'svc', id, now() - make_interval(days => $2), 'dept-' || left(id, 1) FROM unnest($1::text[]) AS id`,
      [ids, ageDays],
    );
    return ids;
  }

  async function remaining(table: 'outbox' | 'inbox'): Promise<Set<string>> {
    const rows: { id: string }[] = await db.ownerDataSource.query(
      table === 'outbox' ? 'SELECT id FROM outbox' : 'SELECT event_id AS id FROM inbox',
    );
    return new Set(rows.map((r) => r.id));
  }

  it('keeps recent, unpublished and set-aside rows; deletes the rest in batches no larger than batchSize', async () => {
    const oldPublished = await outboxRows('published', 8, 7);
    const recentPublished = await outboxRows('published', 6, 2);
    const oldPending = await outboxRows('pending', 40, 2);
    const oldFailed = await outboxRows('failed', 40, 2);
    const oldInbox = await inboxRows(31, 5);
    const recentInbox = await inboxRows(29, 2);

    const result = await purgeMessagingTables(db.dataSource, { batchSize: 3 });

    expect(result.outboxDeleted).toBe(7);
    expect(result.inboxDeleted).toBe(5);
    expect(result.batches).toEqual([
      { table: 'outbox', deleted: 3 },
      { table: 'outbox', deleted: 3 },
      { table: 'outbox', deleted: 1 },
      { table: 'inbox', deleted: 3 },
      { table: 'inbox', deleted: 2 },
    ]);
    const outbox = await remaining('outbox');
    expect(oldPublished.filter((id) => outbox.has(id))).toEqual([]);
    expect([...recentPublished, ...oldPending, ...oldFailed].every((id) => outbox.has(id))).toBe(true);
    const inbox = await remaining('inbox');
    expect(oldInbox.filter((id) => inbox.has(id))).toEqual([]);
    expect(recentInbox.every((id) => inbox.has(id))).toBe(true);
  });

  it('stops after maxBatchesPerRun and honours configured ages', async () => {
    await outboxRows('published', 2, 5);
    const kept = await outboxRows('published', 0, 1);
    const result = await purgeMessagingTables(db.dataSource, {
      publishedOutboxMaxAgeMs: DAY,
      batchSize: 2,
      maxBatchesPerRun: 2,
      inboxMaxAgeMs: DAY,
    });
    expect(result.batches.filter((b) => b.table === 'outbox')).toEqual([
      { table: 'outbox', deleted: 2 },
      { table: 'outbox', deleted: 2 },
    ]);
    const again = await purgeMessagingTables(db.dataSource, {
      publishedOutboxMaxAgeMs: DAY,
      batchSize: 2,
      maxBatchesPerRun: 2,
    });
    expect(again.outboxDeleted).toBe(1);
    expect([...(await remaining('outbox'))]).toEqual(kept);
  });

  it('runs on the relay leader and counts deleted rows in metrics', async () => {
    const { brokers } = requireBrokerEnv();
    const oldPublished = await outboxRows('published', 8, 4);
    await inboxRows(31, 3);
    const registry = new Registry();
    const relay = new OutboxRelay({
      dataSource: db.dataSource,
      kafka: testKafka(brokers, 'retention-test'),
      service: 'retention-test',
      retention: { batchSize: 2 },
      logger: quietLogger(),
      registry,
    });
    relay.start();
    try {
      await waitFor('retention to run', async () => {
        const outbox = await remaining('outbox');
        return oldPublished.every((id) => !outbox.has(id)) && (await remaining('inbox')).size === 0;
      });
      const metric = await registry.getSingleMetricAsString('cit_messaging_retention_deleted_total');
      expect(metric).toContain('cit_messaging_retention_deleted_total{service="retention-test",table="outbox"} 4');
      expect(metric).toContain('cit_messaging_retention_deleted_total{service="retention-test",table="inbox"} 3');
    } finally {
      await relay.stop();
    }
  });
});
