import type { TestDatabase } from '@cit/persistence';
import { KafkaJSProtocolError, type Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { createProducer } from './kafka-client';
import { listFailedOutboxRows, retryFailedOutboxRows } from './outbox-admin';
import { OutboxRelay } from './outbox-relay';
import { runOutboxRetryCli } from './outbox-retry.cli';
import {
  collectTopic,
  createTestTopic,
  destroyKafkaSockets,
  messagingTestDatabase,
  quietLogger,
  randomSuffix,
  requireBrokerEnv,
  testKafka,
  waitFor,
  writeEvents,
} from './__fixtures__/messaging-harness';
import { testEvent } from './__fixtures__/test-events';

describe('outbox relay: a row that can never publish is set aside; other keys keep flowing', () => {
  const { brokers, control } = requireBrokerEnv();
  const kafka = testKafka(brokers, 'poison-row-test');
  let db: TestDatabase;
  const relays: OutboxRelay[] = [];
  const producers: Producer[] = [];

  beforeAll(async () => {
    db = await messagingTestDatabase('msg_poison');
  });

  afterAll(async () => {
    for (const r of relays) await r.stop().catch(() => undefined);
    for (const p of producers) await p.disconnect().catch(() => undefined);
    await db?.drop();
    destroyKafkaSockets();
  });

  /**
   * The local mock broker creates any topic it is asked about, so a missing topic is
   * answered here the way Kafka answers it (UNKNOWN_TOPIC_OR_PARTITION) for `missing`
   * until the test "creates" it; everything else goes to the real broker.
   */
  function producerWithMissingTopic(missing: { topic: string; exists: boolean }): Producer {
    const producer = createProducer(kafka);
    const sendBatch = producer.sendBatch.bind(producer);
    producer.sendBatch = async (batch) => {
      if (!missing.exists && batch.topicMessages?.some((t) => t.topic === missing.topic)) {
        throw new KafkaJSProtocolError({
          message: 'This server does not host this topic-partition',
          type: 'UNKNOWN_TOPIC_OR_PARTITION',
          code: 3,
          retriable: true,
        } as unknown as Error);
      }
      return sendBatch(batch);
    };
    producers.push(producer);
    return producer;
  }

  function relay(producer: Producer, registry: Registry, maxMessageBytes?: number): OutboxRelay {
    const r = new OutboxRelay({
      dataSource: db.dataSource,
      kafka,
      producer,
      service: 'poison-test',
      pollIntervalMs: 100,
      maxAttempts: 3,
      ...(maxMessageBytes ? { maxMessageBytes } : {}),
      retention: false,
      backoff: { baseMs: 50, maxMs: 200 },
      logger: quietLogger(),
      registry,
    });
    relays.push(r);
    return r;
  }

  it('sets aside a missing-topic row and an oversized row after maxAttempts, holds only their keys, and releases them on retry', async () => {
    const { topic } = await createTestTopic(control, 3);
    const missing = { topic: `cit.test-missing-${randomSuffix()}.v1`, exists: false };
    const ev = (key: string, n: number, note?: string) => ({ ...testEvent(key, n), data: note ? { n, note } : { n } });
    const good1 = ev('k-good-1', 1);
    const toMissing = ev('k-missing', 1);
    const good2 = ev('k-good-2', 1);
    // Over Kafka's default 1 MB message.max.bytes.
    const oversized = ev('k-big', 1, 'x'.repeat(1_100_000));
    const good3 = ev('k-good-1', 2);
    const heldMissing = ev('k-missing', 2);
    const heldBig = ev('k-big', 2);
    const good4 = ev('k-good-3', 1);
    // Interleaved in commit order; the missing-topic row goes to its own (absent) topic.
    await writeEvents(db.dataSource, topic, [good1]);
    await writeEvents(db.dataSource, missing.topic, [toMissing]);
    await writeEvents(db.dataSource, topic, [good2, oversized, good3, heldMissing, heldBig, good4]);
    const goods = [good1, good2, good3, good4];

    const registry = new Registry();
    const first = relay(producerWithMissingTopic(missing), registry);
    first.start();
    await waitFor('both bad rows set aside', async () => (await first.status()).setAside === 2, 30_000, 100);
    await waitFor('every good row published', async () =>
      (
        await statusOf(
          db,
          goods.map((e) => e.id),
        )
      ).every((r) => r.status === 'published'),
    );

    const bad = await rowsById(db, [toMissing.id, oversized.id]);
    expect(bad[toMissing.id]).toMatchObject({ status: 'failed', attempts: 3 });
    expect(bad[toMissing.id]!.last_error).toMatch(/does not host this topic-partition/);
    expect(bad[oversized.id]).toMatchObject({ status: 'failed', attempts: 3 });
    expect(bad[oversized.id]!.last_error).toMatch(/^message too large: \d+ bytes > maxMessageBytes 1000000$/);
    expect(bad[toMissing.id]!.failed_at).not.toBeNull();
    // Good rows were not charged for the refused batches they shared with the bad rows.
    expect(
      (
        await statusOf(
          db,
          goods.map((e) => e.id),
        )
      ).map((r) => r.attempts),
    ).toEqual([1, 1, 1, 1]);
    // Later rows of the bad keys wait; nothing else does.
    const held = await rowsById(db, [heldMissing.id, heldBig.id]);
    expect(Object.values(held).map((r) => [r.status, r.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
    expect((await first.status()).backlog).toBe(2);

    const failedRows = await listFailedOutboxRows(db.dataSource);
    expect(failedRows.map((r) => [r.id, r.heldBack])).toEqual([
      [toMissing.id, 1],
      [oversized.id, 1],
    ]);
    const cliLines: string[] = [];
    expect(await runOutboxRetryCli(['--database-url', db.url, '--list'], (l) => cliLines.push(l))).toBe(0);
    expect(cliLines.map((l) => JSON.parse(l).id)).toEqual([toMissing.id, oversized.id]);
    expect(cliLines.join('\n')).not.toContain('xxxx');
    expect(await registry.getSingleMetricAsString('cit_outbox_set_aside')).toContain(
      'cit_outbox_set_aside{service="poison-test"} 2',
    );
    expect(await registry.getSingleMetricAsString('cit_outbox_set_aside_total')).toContain(
      'cit_outbox_set_aside_total{service="poison-test"} 2',
    );

    const collector = await collectTopic(kafka, topic);
    try {
      await waitFor('the good rows on the topic', () =>
        goods.every((g) =>
          collector.messages.some((m) => m.key === g.subject && JSON.parse(m.value!.toString()).id === g.id),
        ),
      );
      const ids = new Set(collector.messages.map((m) => JSON.parse(m.value!.toString()).id as string));
      expect(ids.has(heldMissing.id) || ids.has(heldBig.id)).toBe(false);

      // Ops create the topic, then retry that row: it goes out, then the row held behind it.
      missing.exists = true;
      expect(await retryFailedOutboxRows(db.dataSource, { ids: [toMissing.id] })).toBe(1);
      await waitFor(
        'the retried row and its held successor published',
        async () =>
          Object.values(await rowsById(db, [toMissing.id, heldMissing.id])).every((r) => r.status === 'published'),
        20_000,
        100,
      );
      const released = await rowsById(db, [toMissing.id, heldMissing.id]);
      expect(released[toMissing.id]!.published_at.getTime()).toBeLessThanOrEqual(
        released[heldMissing.id]!.published_at.getTime(),
      );
      expect((await rowsById(db, [oversized.id, heldBig.id]))[heldBig.id]!.status).toBe('pending');

      // The size limit is raised (a new relay, as after a config change) and everything is retried.
      await first.stop();
      const second = relay(producerWithMissingTopic(missing), new Registry(), 2_000_000);
      expect(await retryFailedOutboxRows(db.dataSource, { all: true })).toBe(1);
      second.start();
      await waitFor(
        'outbox drained',
        async () => (await second.status()).backlog === 0 && (await second.status()).setAside === 0,
        20_000,
        100,
      );
      await waitFor('the big key in order on the topic', () => {
        const big = collector.messages
          .filter((m) => m.key === 'k-big')
          .map((m) => JSON.parse(m.value!.toString()).id as string);
        return big.length >= 2 ? big : null;
      });
      const bigOrder = collector.messages
        .filter((m) => m.key === 'k-big')
        .sort((a, b) => Number(a.offset) - Number(b.offset))
        .map((m) => JSON.parse(m.value!.toString()).id as string);
      expect(bigOrder).toEqual([oversized.id, heldBig.id]);
    } finally {
      await collector.stop();
    }
  });
});

interface Row {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  failed_at: Date | null;
  published_at: Date;
}

async function rowsById(db: TestDatabase, ids: string[]): Promise<Record<string, Row>> {
  const rows: Row[] = await db.ownerDataSource.query(
    'SELECT id, status, attempts, last_error, failed_at, published_at FROM outbox WHERE id = ANY($1::uuid[]) ORDER BY seq',
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.id, r]));
}

async function statusOf(db: TestDatabase, ids: string[]): Promise<Row[]> {
  return Object.values(await rowsById(db, ids));
}
