import {
  buildEvent,
  caseOpened,
  checkEventOrigin,
  eventSource,
  incidentUpdated,
  referralRequested,
  type CloudEvent,
} from '@cit/contracts';
import type { TestDatabase } from '@cit/persistence';
import { Registry } from 'prom-client';
import { departmentRegistry } from './department-registry';
import { EventConsumer, type EventConsumerOptions } from './event-consumer';
import { headerString } from './kafka-message';
import {
  collectTopic,
  destroyKafkaSockets,
  messagingTestDatabase,
  produceRaw,
  quietLogger,
  randomSuffix,
  requireBrokerEnv,
  testKafka,
  waitFor,
} from './__fixtures__/messaging-harness';

const updated = (departmentId: string, source?: string): CloudEvent =>
  buildEvent('cit.incident.updated.v1', incidentUpdated.example.incidentId, incidentUpdated.example, {
    departmentId,
    correlationId: `corr-${randomSuffix()}`,
    ...(source ? { source } : {}),
  });

/**
 * Events checked on arrival, on the real broker and database, against the real contracts:
 * a unique topic plays cit.incident.v1 (the check is asked about cit.incident.v1 for it), and
 * a unique partner topic is checked as what it is. Every forged event lands in the DLQ with
 * its reason, its handler never runs and the inbox never records it; valid events still pass.
 */
describe.each([
  ['one event per transaction', undefined],
  ['batched', { maxEvents: 10 }],
])('events checked on arrival (%s)', (_mode, batch) => {
  const { brokers, control } = requireBrokerEnv();
  const kafka = testKafka(brokers, 'event-admission-test');
  let db: TestDatabase;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    db = await messagingTestDatabase('msg_admit');
  });

  afterAll(async () => {
    for (const c of consumers) await c.stop().catch(() => undefined);
    await db?.drop();
    destroyKafkaSockets();
  });

  const handled: string[] = [];
  const record = async (event: CloudEvent, ctx: { manager: { query(q: string, p: unknown[]): Promise<unknown> } }) => {
    handled.push(event.id);
    await ctx.manager.query('INSERT INTO test_effect (event_id, subject, n) VALUES ($1, $2, 0)', [
      event.id,
      event.subject,
    ]);
  };

  async function consume(options: Partial<EventConsumerOptions> & Pick<EventConsumerOptions, 'topics'>) {
    const registry = new Registry();
    const consumer = new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: `admit-${randomSuffix()}`,
      departments: departmentRegistry(['dept-a', 'dept-b']),
      retry: { attempts: 2, baseMs: 20, maxMs: 50 },
      logger: quietLogger(),
      registry,
      ...(batch ? { batch } : {}),
      handlers: {
        'cit.incident.updated.v1': record,
        // A handler for a type of another topic: it must not run for such an event arriving here.
        'cit.case.opened.v1': record,
        'cit.referral.requested.v1': record,
      },
      ...options,
    });
    consumers.push(consumer);
    await consumer.start();
    return { consumer, registry };
  }

  async function deadLetters(dlq: string, count: number) {
    const collector = await collectTopic(kafka, dlq);
    try {
      await waitFor(`${count} dead letters on ${dlq}`, () => collector.messages.length >= count, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      return [...collector.messages]
        .sort((a, b) => Number(a.offset) - Number(b.offset))
        .map((m) => ({
          id: (JSON.parse(m.value!.toString()) as CloudEvent).id,
          reason: headerString(m.headers, 'dlq-reason'),
          error: headerString(m.headers, 'dlq-error'),
          topic: headerString(m.headers, 'dlq-original-topic'),
          offset: headerString(m.headers, 'dlq-original-offset'),
        }));
    } finally {
      await collector.stop();
    }
  }

  const effects = async (): Promise<string[]> =>
    ((await db.ownerDataSource.query('SELECT event_id FROM test_effect')) as { event_id: string }[]).map(
      (r) => r.event_id,
    );
  const inbox = async (): Promise<string[]> =>
    ((await db.ownerDataSource.query('SELECT event_id FROM inbox')) as { event_id: string }[]).map((r) => r.event_id);

  it('dead-letters a wrong source, a type of another topic and an unknown department with the reason; valid events pass', async () => {
    const topic = `cit.test-${randomSuffix()}.v1`;
    await control.createTopic(topic, 1);
    await control.createTopic(`${topic}.dlq`, 1);
    const first = updated('dept-a');
    const wrongSource = updated('dept-a', eventSource('referral'));
    const otherTopic = buildEvent('cit.case.opened.v1', caseOpened.example.caseId, caseOpened.example, {
      departmentId: 'dept-a',
      correlationId: 'corr-case',
    });
    const unknownDepartment = updated('dept-z');
    const last = updated('dept-b');
    const sent = [first, wrongSource, otherTopic, unknownDepartment, last];
    await produceRaw(
      kafka,
      topic,
      sent.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    );

    const { consumer, registry } = await consume({
      topics: [topic],
      checkOrigin: (t, type, source) => checkEventOrigin(t === topic ? 'cit.incident.v1' : t, type, source),
    });
    await waitFor('the last valid event to be applied', async () => (await effects()).includes(last.id));

    const letters = await deadLetters(`${topic}.dlq`, 3);
    expect(letters).toEqual([
      {
        id: wrongSource.id,
        reason: 'source-not-producer',
        error: 'rejected: source is not the producer of cit.incident.updated.v1 (expected /cit/intake)',
        topic,
        offset: '1',
      },
      {
        id: otherTopic.id,
        reason: 'type-not-on-topic',
        error: 'rejected: type cit.case.opened.v1 is not an event of topic cit.incident.v1',
        topic,
        offset: '2',
      },
      {
        id: unknownDepartment.id,
        reason: 'unknown-department',
        error: 'rejected: department dept-z is not served here',
        topic,
        offset: '3',
      },
    ]);
    // Refused before the inbox transaction: no handler ran, nothing was claimed or written.
    expect(handled.filter((id) => sent.some((e) => e.id === id))).toEqual([first.id, last.id]);
    expect((await effects()).filter((id) => sent.some((e) => e.id === id)).sort()).toEqual([first.id, last.id].sort());
    expect((await inbox()).filter((id) => sent.some((e) => e.id === id)).sort()).toEqual([first.id, last.id].sort());

    const rejected = await registry.getSingleMetric('cit_events_rejected_total')!.get();
    expect(
      Object.fromEntries(rejected.values.map((v) => [v.labels.reason, { n: v.value, topic: v.labels.topic }])),
    ).toEqual({
      'source-not-producer': { n: 1, topic },
      'type-not-on-topic': { n: 1, topic },
      'unknown-department': { n: 1, topic },
    });
    const dlqMetric = await registry.getSingleMetric('cit_dlq_messages_total')!.get();
    expect(dlqMetric.values.map((v) => [v.labels.reason, v.value])).toEqual([['rejected', 3]]);
    // The partition moved on: nothing held, the consumer healthy.
    await waitFor('lag 0 past the refused events', () => consumer.status().lag[`${topic}/0`] === 0);
    expect(consumer.status().healthy).toBe(true);
  });

  it('takes a partner topic’s deliveries from referral only', async () => {
    const topic = `cit.partner.test-${randomSuffix()}.referrals.v1`;
    await control.createTopic(topic, 1);
    await control.createTopic(`${topic}.dlq`, 1);
    const ctx = { departmentId: 'dept-a', correlationId: 'corr-partner' };
    const subject = referralRequested.example.referralId;
    const fromReferral = buildEvent('cit.referral.requested.v1', subject, referralRequested.example, ctx);
    const fromTriage = buildEvent('cit.referral.requested.v1', subject, referralRequested.example, {
      ...ctx,
      source: eventSource('triage'),
    });
    const notADelivery = updated('dept-a');
    const sent = [fromTriage, notADelivery, fromReferral];
    await produceRaw(
      kafka,
      topic,
      sent.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    );

    // The real contracts' check, unmapped: the topic is a partner topic by its name.
    await consume({ topics: [topic] });
    await waitFor('the referral delivery to be applied', async () => (await effects()).includes(fromReferral.id));
    const letters = await deadLetters(`${topic}.dlq`, 2);
    expect(letters.map((l) => [l.id, l.reason])).toEqual([
      [fromTriage.id, 'source-not-producer'],
      [notADelivery.id, 'type-not-on-topic'],
    ]);
    expect(handled.filter((id) => sent.some((e) => e.id === id))).toEqual([fromReferral.id]);
  });
});
