/**
 * Issue 9's end-to-end proof, with intake and triage as separate OS processes on the real
 * PostgreSQL and Kafka-protocol broker: an incident POSTed to intake is triaged (a decision
 * with the rules that fired, cit.triage.completed.v1 in triage's outbox); reclassifying it in
 * intake (PUT /v1/incidents/{id}/indicators) re-runs triage, and the new decision supersedes
 * the first, linked both ways, with a second cit.triage.completed.v1 naming what it supersedes.
 * Started as incident-flow.e2e-spec.ts starts the platform (@cit/testing service processes).
 */
import { randomBytes } from 'node:crypto';
import { issueDevToken } from '@cit/auth';
import { createIncidentExample, triageCompletedData } from '@cit/contracts';
import { databaseUrlFor, dropDatabase } from '@cit/persistence';
import { migrateServiceProcess, startServiceProcess, waitFor, type ServiceProcess } from '@cit/testing';
import { Client } from 'pg';

const run = randomBytes(4).toString('hex');
const db = { intake: `cit_e2e_${run}_intake`, triage: `cit_e2e_${run}_triage` };
const baseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const common = { CONSUMER_SESSION_TIMEOUT_MS: '6000', LOG_LEVEL: 'info' };
const department = `e2e-triage-${run}`;

async function sql<T = Record<string, unknown>>(database: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrlFor(baseUrl, database) });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

interface DecisionView {
  id: string;
  status: string;
  riskLevel: string;
  pathways: string[];
  supersedes: string | null;
  supersededBy: string | null;
  supersedeReason: string | null;
  fired: { ruleId: string; why: string }[];
}

describe('triage reclassification across separate service processes', () => {
  let intake: ServiceProcess;
  let triage: ServiceProcess;
  let officer: string;
  let clinician: string;

  beforeAll(async () => {
    migrateServiceProcess('intake', { DATABASE_NAME: db.intake });
    migrateServiceProcess('triage', { DATABASE_NAME: db.triage });
    [intake, triage] = await Promise.all([
      startServiceProcess('intake', 14101 + Math.floor(Math.random() * 400), { ...common, DATABASE_NAME: db.intake }),
      startServiceProcess('triage', 14601 + Math.floor(Math.random() * 400), {
        ...common,
        DATABASE_NAME: db.triage,
        CONSUMER_GROUP: `cit.triage.e2e-reclass-${run}`,
        // A fresh group needs none of the stream's history: the test's events come after it joined.
        CONSUMER_FROM_BEGINNING: 'false',
      }),
    ]);
    officer = await issueDevToken({ roles: ['officer'], department });
    clinician = await issueDevToken({ roles: ['clinician'], department });
  }, 180000);

  afterAll(async () => {
    const codes = await Promise.all([intake?.stop(), triage?.stop()]);
    expect(codes).toEqual(['SIGTERM', 'SIGTERM']);
    await dropDatabase(baseUrl, db.intake).catch(() => undefined);
    await dropDatabase(baseUrl, db.triage).catch(() => undefined);
  }, 60000);

  const decisionsOf = async (incidentId: string): Promise<DecisionView[] | undefined> => {
    const r = await fetch(`${triage.url}/v1/incidents/${incidentId}/decisions`, {
      headers: { authorization: `Bearer ${clinician}` },
    });
    return r.status === 200 ? ((await r.json()) as { items: DecisionView[] }).items : undefined;
  };

  it('a reclassified incident supersedes its triage decision end to end', async () => {
    const report = async (cad: string) => {
      const res = await fetch(`${intake.url}/v1/incidents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...createIncidentExample, externalIds: { cadCallNumber: cad } }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    // Triage's fresh group starts at the end of the stream: warm-up reports until one is decided.
    let warm = 0;
    await waitFor(
      'triage to decide a warm-up incident',
      async () => {
        const id = await report(`CAD-E2E-WARM-${run}-${warm++}`);
        return waitFor('the warm-up decision', async () => ((await decisionsOf(id))?.length ? true : undefined), {
          timeoutMs: 15_000,
          intervalMs: 300,
        }).catch(() => undefined);
      },
      { timeoutMs: 150_000, intervalMs: 0 },
    );

    const incidentId = await report(`CAD-E2E-RECLASS-${run}`);
    const first = await waitFor(
      'triage to decide the reported incident',
      async () => {
        const items = await decisionsOf(incidentId);
        return items?.length === 1 ? items[0] : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(first).toMatchObject({ status: 'final', riskLevel: 'urgent', supersedes: null });
    expect(first.fired.map((f) => f.ruleId)).toContain('suicidal-statements');

    const reclass = await fetch(`${intake.url}/v1/incidents/${incidentId}/indicators`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        behavioralHealth: {
          relatedTo: 'mental-health',
          observations: ['suicidal-statements', 'weapon-present'],
          suspectedUsing: ['N'],
        },
        reason: { code: 'new-information' },
      }),
    });
    expect(reclass.status).toBe(200);

    const [before, after] = await waitFor(
      'the superseding decision',
      async () => {
        const items = await decisionsOf(incidentId);
        return items?.length === 2 ? items : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(before).toMatchObject({ id: first.id, status: 'superseded', supersededBy: after.id });
    expect(after).toMatchObject({
      status: 'final',
      riskLevel: 'imminent',
      supersedes: first.id,
      supersedeReason: 'reclassification',
    });
    expect(after.pathways[0]).toBe('mobile-crisis-now');

    const events = (
      await sql<{ payload: { data: unknown } }>(
        db.triage,
        `SELECT payload FROM outbox WHERE event_type = 'cit.triage.completed.v1' AND message_key = $1 ORDER BY seq`,
        [incidentId],
      )
    ).map((r) => triageCompletedData.parse(r.payload.data));
    expect(events.map((e) => [e.triageId, e.supersedes ?? null, e.riskLevel])).toEqual([
      [first.id, null, 'urgent'],
      [after.id, first.id, 'imminent'],
    ]);
    expect(events[1].legalBasis.imminentThreat164512j).toBe(true);
    // The relay published both onto cit.triage.v1 (marked published in triage's outbox).
    await waitFor('triage.completed published', async () => {
      const rows = await sql<{ n: number }>(
        db.triage,
        `SELECT count(*)::int AS n FROM outbox WHERE message_key = $1 AND event_type = 'cit.triage.completed.v1' AND published_at IS NOT NULL`,
        [incidentId],
      );
      return rows[0].n === 2 ? true : undefined;
    });
    expect(intake.output() + triage.output()).not.toMatch(/Jordan|617-555-0142|ending his life/);
  });
});
