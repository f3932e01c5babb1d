/**
 * OutboxWriter on real PostgreSQL (runtime role, row-level security): one INSERT of array
 * parameters whatever the number of events, rows numbered (seq, the relay's publish order)
 * in the order given, and nothing written outside a transaction or for an invalid event.
 */
import { tenantTransaction, type TestDatabase } from '@cit/persistence';
import { OutboxWriter } from './outbox-writer';
import { messagingTestDatabase } from './__fixtures__/messaging-harness';
import { testEvent, testValidator } from './__fixtures__/test-events';

describe('OutboxWriter (real PostgreSQL)', () => {
  let db: TestDatabase;
  const writer = new OutboxWriter({ validate: testValidator });
  const rowsOf = (ids: string[]) =>
    db.ownerDataSource.query(
      `SELECT id::text, topic, message_key, event_type, payload, department_id FROM outbox WHERE id = ANY($1::uuid[]) ORDER BY seq`,
      [ids],
    ) as Promise<
      { id: string; topic: string; message_key: string; event_type: string; payload: unknown; department_id: string }[]
    >;

  beforeAll(async () => {
    db = await messagingTestDatabase('msg_writer');
  });
  afterAll(() => db?.drop());

  it('numbers the rows of one appendMany in the order given, with topic, key, type, payload and department', async () => {
    // Keys interleaved and ids random: only the given order can explain the seq order.
    const events = Array.from({ length: 300 }, (_, n) => testEvent(`agg-${n % 7}`, n));
    await tenantTransaction(db.dataSource, 'dept-test', (m) => writer.appendMany(m, events, { topic: 'cit.test.v1' }));
    const rows = await rowsOf(events.map((e) => e.id));
    expect(rows.map((r) => r.id)).toEqual(events.map((e) => e.id));
    expect(rows[17]).toEqual({
      id: events[17]!.id,
      topic: 'cit.test.v1',
      message_key: 'agg-3',
      event_type: events[17]!.type,
      payload: events[17],
      department_id: 'dept-test',
    });
  });

  it('builds the same insert as a statement for a caller to fold into its own', async () => {
    const events = [testEvent('agg-x', 1), testEvent('agg-y', 2)];
    const { sql, params } = writer.insertStatement(events, { topic: 'cit.test.v1' });
    expect(params).toHaveLength(6);
    await tenantTransaction(db.dataSource, 'dept-test', (m) => m.query(sql, params));
    expect((await rowsOf(events.map((e) => e.id))).map((r) => r.message_key)).toEqual(['agg-x', 'agg-y']);
  });

  it('writes nothing outside a transaction or when an event is invalid', async () => {
    const outside = testEvent('agg-z', 1);
    await expect(writer.appendMany(db.dataSource.manager, [outside], { topic: 'cit.test.v1' })).rejects.toThrow(
      'inside a transaction',
    );
    const good = testEvent('agg-z', 2);
    const bad = { ...testEvent('agg-z', 3), data: { n: 'three' } } as unknown as typeof good;
    await expect(
      tenantTransaction(db.dataSource, 'dept-test', (m) => writer.appendMany(m, [good, bad], { topic: 'cit.test.v1' })),
    ).rejects.toThrow(`invalid event ${bad.id}`);
    expect(await rowsOf([outside.id, good.id, bad.id])).toEqual([]);
  });
});
