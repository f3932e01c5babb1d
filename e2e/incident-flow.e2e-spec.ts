/**
 * The foundation's proof, with every service a separate OS process on the real
 * PostgreSQL, Redis and Kafka-protocol broker: an incident POSTed to intake is stored
 * with its outbox row, appears on cit.incident.v1 as cit.incident.reported.v1, and
 * triage consumes it through its inbox.
 */
import { randomBytes } from 'node:crypto';
import { issueDevToken } from '@cit/auth';
import { createIncidentExample, decodeCloudEvent } from '@cit/contracts';
import { createKafka } from '@cit/messaging';
import { databaseUrlFor, dropDatabase } from '@cit/persistence';
import { migrateServiceProcess, startServiceProcess, waitFor, type ServiceProcess } from '@cit/testing';
import type { Consumer } from 'kafkajs';
import { Client } from 'pg';

const run = randomBytes(4).toString('hex');
const db = { intake: `cit_e2e_${run}_intake`, triage: `cit_e2e_${run}_triage` };
const baseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const common = { CONSUMER_SESSION_TIMEOUT_MS: '6000', LOG_LEVEL: 'info' };

async function sql<T = Record<string, unknown>>(database: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrlFor(baseUrl, database) });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('incident flow across separate service processes', () => {
  let intake: ServiceProcess;
  let triage: ServiceProcess;
  let consumer: Consumer;
  const seen = new Map<string, { type: string; id: string; subject: string; key: string | null; headers: string }>();
  let coordinator: string;

  beforeAll(async () => {
    migrateServiceProcess('intake', { DATABASE_NAME: db.intake });
    migrateServiceProcess('triage', { DATABASE_NAME: db.triage });
    [intake, triage] = await Promise.all([
      startServiceProcess('intake', 13101 + Math.floor(Math.random() * 400), { ...common, DATABASE_NAME: db.intake }),
      startServiceProcess('triage', 13601 + Math.floor(Math.random() * 400), {
        ...common,
        DATABASE_NAME: db.triage,
        CONSUMER_GROUP: `cit.triage.e2e-${run}`,
        // A fresh group needs none of the stream's history: the test's events come after it joined.
        CONSUMER_FROM_BEGINNING: 'false',
      }),
    ]);
    const kafka = createKafka({ clientId: `e2e-${run}`, brokers: (process.env.KAFKA_BROKERS ?? '').split(',') });
    consumer = kafka.consumer({ groupId: `e2e-observer-${run}`, sessionTimeout: 6000, heartbeatInterval: 600 });
    await consumer.connect();
    // From the end of the stream: a long-lived local broker may hold millions of earlier events
    // (benchmarks, earlier runs). The first fetch comes after the group's offsets are resolved,
    // so everything the test posts after it is seen.
    const fetching = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.FETCH, () => {
        off();
        resolve();
      });
    });
    await consumer.subscribe({ topic: 'cit.incident.v1', fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const parsed = decodeCloudEvent(message.value);
        if (parsed.ok) {
          seen.set(parsed.event.subject, {
            type: parsed.event.type,
            id: parsed.event.id,
            subject: parsed.event.subject,
            key: message.key?.toString() ?? null,
            headers: JSON.stringify(
              Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
            ),
          });
        }
      },
    });
    await fetching;
    coordinator = await issueDevToken({ roles: ['coordinator'], department: 'demo' });
  }, 180000);

  afterAll(async () => {
    await consumer?.disconnect();
    const codes = await Promise.all([intake?.stop(), triage?.stop()]);
    // Graceful: SIGTERM ran the ordered shutdown (consumer drained, then DB and Redis closed), no SIGKILL needed.
    expect(codes).toEqual(['SIGTERM', 'SIGTERM']);
    for (const p of [intake, triage]) expect(p.output()).toContain('"msg":"connections closed"');
    await dropDatabase(baseUrl, db.intake).catch(() => undefined);
    await dropDatabase(baseUrl, db.triage).catch(() => undefined);
  }, 60000);

  const post = (body: unknown, token = coordinator, raw?: string) =>
    fetch(`${intake.url}/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: raw ?? JSON.stringify(body),
    });

  it('stores the incident with its outbox row, publishes cit.incident.reported.v1 and triage consumes it via the inbox', async () => {
    const cad = `CAD-E2E-${run}`;
    const res = await post({ ...createIncidentExample, externalIds: { cadCallNumber: cad } });
    expect(res.status).toBe(201);
    const incident = (await res.json()) as { id: string; subjects: { name: string }[] };
    expect(incident.subjects[0].name).toBe('Jordan Example');

    const [row] = await sql<{ narrative: string; name: string }>(
      db.intake,
      'SELECT i.narrative, s.name FROM incident i JOIN incident_subject s ON s.incident_id = i.id WHERE i.id = $1',
      [incident.id],
    );
    expect(row.narrative).toMatch(/^enc:v2:/);
    expect(row.name).toMatch(/^enc:v2:/);
    expect(JSON.stringify(row)).not.toContain('Jordan');

    const published = await waitFor('the outbox row to be published', async () => {
      const rows = await sql<{ id: string; event_type: string; published_at: Date | null }>(
        db.intake,
        "SELECT id, event_type, published_at FROM outbox WHERE payload->>'subject' = $1",
        [incident.id],
      );
      return rows.length === 1 && rows[0].published_at ? rows[0] : undefined;
    });
    expect(published.event_type).toBe('cit.incident.reported.v1');

    const onTopic = await waitFor('the event on cit.incident.v1', () => seen.get(incident.id));
    expect(onTopic).toMatchObject({ type: 'cit.incident.reported.v1', id: published.id, key: incident.id });
    expect(onTopic.headers).not.toContain('Jordan');

    const queued = await waitFor('triage to list the incident', async () => {
      const r = await fetch(`${triage.url}/v1/triage-queue`, { headers: { authorization: `Bearer ${coordinator}` } });
      const body = (await r.json()) as { items: { incidentId: string; sourceEventId: string }[] };
      return body.items.find((i) => i.incidentId === incident.id);
    });
    expect(queued.sourceEventId).toBe(published.id);
    const inbox = await sql(db.triage, 'SELECT consumer FROM inbox WHERE event_id = $1', [published.id]);
    expect(inbox).toHaveLength(1);

    // The same CAD call again is the same incident: 200, and no second event.
    const again = await post({ ...createIncidentExample, externalIds: { cadCallNumber: cad } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(incident.id);
    const outboxRows = await sql(db.intake, "SELECT 1 FROM outbox WHERE payload->>'subject' = $1", [incident.id]);
    expect(outboxRows).toHaveLength(1);

    expect(intake.output() + triage.output()).not.toMatch(/Jordan|617-555-0142|ending his life/);
  });

  it('answers bad input with problem+json naming the field and stores nothing', async () => {
    const before = await sql<{ n: string }>(db.intake, 'SELECT count(*)::text AS n FROM incident');
    const cases: [Response, number, string][] = [
      [await post(undefined, coordinator, '{"callType": "welfare'), 400, '(body)'],
      [await post({ ...createIncidentExample, colour: 'red' }), 400, 'colour'],
      [await post({ ...createIncidentExample, encounter: 42 }), 400, 'encounter'],
      [
        await post({ ...createIncidentExample, subjects: [{ name: 'X', dateOfBirth: 'yesterday' }] }),
        400,
        'subjects.0.dateOfBirth',
      ],
      [await post({ ...createIncidentExample, narrative: 'x'.repeat(400_000) }), 413, '(body)'],
    ];
    for (const [res, status, field] of cases) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
    const after = await sql<{ n: string }>(db.intake, 'SELECT count(*)::text AS n FROM incident');
    expect(after).toEqual(before);
  });

  it('enforces authentication, roles and the department boundary', async () => {
    const created = await post({ ...createIncidentExample, externalIds: { cadCallNumber: `CAD-E2E-${run}-2` } });
    const { id } = (await created.json()) as { id: string };
    const get = (token?: string) =>
      fetch(`${intake.url}/v1/incidents/${id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get()).status).toBe(401);
    expect((await get('not-a-jwt')).status).toBe(401);
    expect((await get(await issueDevToken({ roles: ['ops'], department: 'demo' }))).status).toBe(403);
    expect((await get(await issueDevToken({ roles: ['coordinator'], department: 'other-city' }))).status).toBe(404);
    expect((await get(coordinator)).status).toBe(200);
  });
});
