import { randomUUID } from 'node:crypto';
import { eventSource, type CloudEvent } from '@cit/contracts';
import { createKafka, createProducer, headerString } from '@cit/messaging';
import { waitFor as waitForWithin } from '@cit/testing';
import type { Consumer, Producer } from 'kafkajs';
import { startTriageTestApp, type TriageTestApp } from '../testing/triage-test-app';
import { IncidentPublisher, reportedData, reportedEvent } from '../testing/incident-events';

/**
 * Incidents arriving through triage's consumer on the real broker and PostgreSQL: an event
 * of another department naming the same incident id does not take the id from the real one,
 * and an event whose source is not the incident's producer is dead-lettered before anything
 * is written.
 */
jest.setTimeout(240_000);

describe('triage intake keyed by department and incident id (real broker and PostgreSQL)', () => {
  let t: TriageTestApp;
  let publisher: IncidentPublisher;
  let dlqReader: Consumer | undefined;
  let producer: Producer | undefined;
  const deadLetters: { key: string | null; reason?: string; group?: string; eventId?: string }[] = [];
  const run = randomUUID().slice(0, 8);
  const dept = `dept-key-${run}`;
  const forger = `dept-frg-${run}`;
  const owner = () => t.db.ownerDataSource;
  // The machine is shared and the topic carries every suite's incidents: generous waits.
  const waitFor = <T>(what: string, check: () => Promise<T | undefined | false>) =>
    waitForWithin(what, check, { timeoutMs: 90_000 });

  const intake = (incidentId: string) =>
    owner().query(
      `SELECT department_id, source_event_id, call_type, status FROM triage_intake WHERE incident_id = $1
        ORDER BY department_id`,
      [incidentId],
    ) as Promise<{ department_id: string; source_event_id: string; call_type: string; status: string }[]>;
  const decidedIn = async (incidentId: string) =>
    (
      (await owner().query(
        `SELECT department_id FROM triage_decision WHERE incident_id = $1 AND superseded_by_id IS NULL ORDER BY 1`,
        [incidentId],
      )) as { department_id: string }[]
    ).map((r) => r.department_id);

  beforeAll(async () => {
    t = await startTriageTestApp('triage_intake_key', { consume: true });
    publisher = new IncidentPublisher('triage-intake-key-test');
    await publisher.connect();
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
    // Reads the dead-letter topic from its end, joined before anything is published.
    const kafka = createKafka({ clientId: 'triage-intake-key-test', brokers });
    producer = createProducer(kafka);
    await producer.connect();
    dlqReader = kafka.consumer({
      groupId: `triage-intake-key-dlq-${run}`,
      maxWaitTimeInMs: 500,
    });
    const joined = new Promise<void>((resolve) => dlqReader!.on(dlqReader!.events.GROUP_JOIN, () => resolve()));
    await dlqReader.connect();
    await dlqReader.subscribe({ topics: ['cit.incident.v1.dlq'], fromBeginning: false });
    await dlqReader.run({
      eachMessage: async ({ message }) => {
        deadLetters.push({
          key: message.key?.toString() ?? null,
          reason: headerString(message.headers, 'dlq-reason'),
          group: headerString(message.headers, 'dlq-consumer-group'),
          eventId: headerString(message.headers, 'ce_id'),
        });
      },
    });
    await joined;
    await waitFor('triage ready', async () => (await fetch(`${t.url}/health/ready`)).status === 200);
    // Until every partition has delivered one event, a partition's start offset may still be unresolved.
    for (;;) {
      const ids = await publisher.warmUp(`warmup-${run}`);
      const seen = await waitForWithin(
        'the warm-up incidents',
        async () => {
          const [r] = await owner().query(`SELECT count(*)::int AS n FROM triage_intake WHERE incident_id = ANY($1)`, [
            ids,
          ]);
          return r.n === ids.length ? true : undefined;
        },
        { timeoutMs: 15_000 },
      ).catch(() => false);
      if (seen) break;
    }
  });

  afterAll(async () => {
    await dlqReader?.disconnect();
    await producer?.disconnect();
    await publisher?.close();
    await t?.close();
  });

  it('an event of another department with the same incident id, arriving first, neither blocks nor overwrites the real one', async () => {
    const real = reportedData({ callType: 'welfare-check' });
    const forged = { ...reportedData({ callType: 'suicide-threat' }), incidentId: real.incidentId };
    const forgedEvent = reportedEvent(forger, forged);
    const realEvent = reportedEvent(dept, real);
    // Same key, so the same partition, in this order.
    await publisher.publish([forgedEvent, realEvent]);

    // dept-frg-* sorts before dept-key-*.
    await waitFor('both departments to have decided the incident', async () => {
      const depts = await decidedIn(real.incidentId);
      return depts.length === 2 ? depts : undefined;
    });
    expect(await intake(real.incidentId)).toEqual([
      { department_id: forger, source_event_id: forgedEvent.id, call_type: 'suicide-threat', status: 'triaged' },
      { department_id: dept, source_event_id: realEvent.id, call_type: 'welfare-check', status: 'triaged' },
    ]);
    expect(await decidedIn(real.incidentId)).toEqual([dept, forger].sort());
  });

  it('dead-letters an incident whose source is not intake before anything is written; the next one is applied', async () => {
    const forged = reportedData();
    const forgedEvent: CloudEvent = { ...reportedEvent(dept, forged), source: eventSource('referral') };
    const after = reportedData();
    const afterEvent = reportedEvent(dept, after);
    // One key: the same partition, the forged event first.
    await producer!.send({
      topic: 'cit.incident.v1',
      acks: -1,
      messages: [forgedEvent, afterEvent].map((e) => ({ key: forged.incidentId, value: JSON.stringify(e) })),
    });

    const group = `cit.triage.test.${t.db.databaseName}`;
    const letter = await waitFor('the forged incident in the dead-letter topic', async () =>
      deadLetters.find((d) => d.key === forged.incidentId && d.group === group),
    );
    expect(letter).toMatchObject({ reason: 'source-not-producer' });
    await waitFor('the incident after it to be decided', async () =>
      (await decidedIn(after.incidentId)).length === 1 ? true : undefined,
    );
    expect(await intake(forged.incidentId)).toEqual([]);
    expect(await decidedIn(forged.incidentId)).toEqual([]);
    const [inbox] = await owner().query('SELECT count(*)::int AS n FROM inbox WHERE event_id = $1', [forgedEvent.id]);
    expect(inbox.n).toBe(0);
  });
});
