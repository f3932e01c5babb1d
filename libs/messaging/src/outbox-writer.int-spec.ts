/**
 * OutboxWriter on real PostgreSQL (runtime role, row-level security): one INSERT of array
 * parameters whatever the number of events, rows numbered (seq, the relay's publish order)
 * in the order given, and nothing written outside a transaction, for an invalid event, or for
 * an event its consumers would refuse on arrival (wrong topic or source).
 */
import { buildEvent, eventSource, incidentUpdated, partnerReferralTopic, referralRequested } from '@cit/contracts';
import { tenantTransaction, type TestDatabase } from '@cit/persistence';
import { OutboxWriter } from './outbox-writer';
import { messagingTestDatabase } from './__fixtures__/messaging-harness';
import { testEvent, testOrigin, testValidator } from './__fixtures__/test-events';

describe('OutboxWriter (real PostgreSQL)', () => {
  let db: TestDatabase;
  const writer = new OutboxWriter({ validate: testValidator, checkOrigin: testOrigin });
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

  it('writes nothing for an event its consumers would refuse: a source that is not its producer, a topic it does not belong on', async () => {
    const contracts = new OutboxWriter();
    const ctx = { departmentId: 'dept-test', correlationId: 'corr-w' };
    const fromIntake = buildEvent('cit.incident.updated.v1', 'inc_w1', incidentUpdated.example, ctx);
    const fromTriage = buildEvent('cit.incident.updated.v1', 'inc_w2', incidentUpdated.example, {
      ...ctx,
      source: eventSource('triage'),
    });
    await expect(
      tenantTransaction(db.dataSource, 'dept-test', (m) => contracts.appendMany(m, [fromIntake, fromTriage])),
    ).rejects.toThrow(
      `event ${fromTriage.id} (cit.incident.updated.v1) does not belong on cit.incident.v1: source is not the producer`,
    );
    await expect(
      tenantTransaction(db.dataSource, 'dept-test', (m) =>
        contracts.append(m, fromIntake, { topic: partnerReferralTopic('metro-mobile-crisis') }),
      ),
    ).rejects.toThrow('is not an event of topic cit.partner.metro-mobile-crisis.referrals.v1');
    expect(await rowsOf([fromIntake.id, fromTriage.id])).toEqual([]);

    const delivery = buildEvent('cit.referral.requested.v1', 'ref_w', referralRequested.example, ctx);
    await tenantTransaction(db.dataSource, 'dept-test', async (m) => {
      await contracts.append(m, fromIntake);
      await contracts.append(m, delivery, { topic: partnerReferralTopic('metro-mobile-crisis') });
    });
    expect((await rowsOf([fromIntake.id, delivery.id])).map((r) => r.topic)).toEqual([
      'cit.incident.v1',
      'cit.partner.metro-mobile-crisis.referrals.v1',
    ]);
  });
});
