/**
 * The bulk import's worker pool and COPY path on the real database: a worker thread that dies
 * mid-import loses no row and stores none twice, a re-run stores nothing twice (events
 * included), and rows the workers hand back for the text guard are still judged.
 */
import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { issueDevToken } from '@cit/auth';
import { createIncidentExample } from '@cit/contracts';
import { AuditModule } from '@cit/audit';
import { BlindIndex, tenantTransaction } from '@cit/persistence';
import type { DataSource } from 'typeorm';
import { PersonMatcher } from '../persons/person-matcher.service';
import { startIntakeTestApp, type IntakeTestApp } from '../testing/intake-test-app';
import { ImportsModule } from './imports.module';
import { ImportWorkers } from './run-import/import-workers';

@Module({ imports: [AuditModule.forService('intake'), ImportsModule] })
class ImportWorkersTestModule {}

const DEPT = 'dept-import-workers';

interface Summary {
  importId: string;
  status: string;
  rowsRead: number;
  rowsImported: number;
  rowsDuplicate: number;
  rowsRejected: number;
}

describe('import worker pool (integration)', () => {
  let testApp: IntakeTestApp;
  let ds: DataSource;
  let admin: string;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    testApp = await startIntakeTestApp('intake_import_workers', ImportWorkersTestModule);
    ds = testApp.db.ownerDataSource;
    admin = await issueDevToken({ roles: ['admin'], department: DEPT });
  }, 120_000);

  afterAll(async () => {
    await testApp?.close();
  });

  /** Rows about a handful of people (so matching links), each with its own CAD number. */
  const rows = (prefix: string, n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        JSON.stringify({
          ...createIncidentExample,
          externalIds: { cadCallNumber: `${prefix}-${i}` },
          subjects: [{ name: `Pool Person ${i % 7}`, dateOfBirth: '1979-09-09', flags: {} }],
        }) + '\n',
    ).join('');

  const post = (body: string | ReadableStream<Uint8Array>, query = 'format=ndjson') =>
    fetch(`${testApp.url}/v1/imports?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/x-ndjson' },
      body,
      ...(typeof body === 'string' ? {} : { duplex: 'half' }),
    } as RequestInit);

  const stored = async (prefix: string) =>
    (
      await ds.query(
        `SELECT count(*)::int AS incidents, count(DISTINCT i.cad_call_number)::int AS distinct_cads,
                count(s.id)::int AS subjects, count(s.person_id)::int AS linked, count(DISTINCT s.person_id)::int AS persons
           FROM incident i LEFT JOIN incident_subject s ON s.incident_id = i.id
          WHERE i.department_id = $1 AND i.cad_call_number LIKE $2`,
        [DEPT, `${prefix}-%`],
      )
    )[0] as { incidents: number; distinct_cads: number; subjects: number; linked: number; persons: number };

  it('a worker thread that dies mid-import loses no row and stores none twice', async () => {
    const prefix = `W-${run}`;
    const n = 3000;
    const pool = testApp.app.get(ImportWorkers).get();
    const restartsBefore = pool.restartCount;
    const body = rows(prefix, n);
    // Sent in pieces, so the import is still preparing when a busy worker is killed.
    const enc = new TextEncoder();
    let killed = false;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const step = Math.ceil(body.length / 20);
        for (let at = 0; at < body.length; at += step) {
          controller.enqueue(enc.encode(body.slice(at, at + step)));
          await new Promise((r) => setTimeout(r, 5));
        }
        controller.close();
      },
    });
    const pending = post(stream);
    const deadline = Date.now() + 30_000;
    while (!killed && Date.now() < deadline) {
      const busy = pool.threads().find((t) => t.busy);
      if (busy) {
        await busy.worker.terminate();
        killed = true;
      } else await new Promise((r) => setImmediate(r));
    }
    expect(killed).toBe(true);
    const res = await pending;
    expect(res.status).toBe(201);
    expect((await res.json()) as Summary).toMatchObject({ status: 'completed', rowsRead: n, rowsImported: n });
    expect(pool.restartCount).toBeGreaterThan(restartsBefore);
    expect(await stored(prefix)).toEqual({ incidents: n, distinct_cads: n, subjects: n, linked: n, persons: 7 });
  });

  it('a re-run of the same body stores nothing twice: incidents, subjects, persons, identifiers or events', async () => {
    const prefix = `R-${run}`;
    const body = rows(prefix, 1200);
    const first = (await (await post(body, 'format=ndjson&emitEvents=true')).json()) as Summary;
    expect(first).toMatchObject({ status: 'completed', rowsImported: 1200, rowsDuplicate: 0 });
    const events = async () =>
      (
        await ds.query(
          `SELECT count(*)::int AS n, count(DISTINCT payload->'data'->>'incidentId')::int AS incidents,
                  count(*) FILTER (WHERE payload->'data'->'subjects'->0->>'personId' LIKE 'per\\_%')::int AS with_person
             FROM outbox WHERE department_id = $1 AND payload->'data'->'externalIds'->>'cadCallNumber' LIKE $2`,
          [DEPT, `${prefix}-%`],
        )
      )[0];
    expect(await events()).toEqual({ n: 1200, incidents: 1200, with_person: 1200 });
    const before = await stored(prefix);
    const [{ identifiers }] = await ds.query(
      `SELECT count(*)::int AS identifiers FROM person_identifier WHERE department_id = $1`,
      [DEPT],
    );

    const again = (await (await post(body, 'format=ndjson&emitEvents=true')).json()) as Summary;
    expect(again).toMatchObject({ status: 'completed', rowsRead: 1200, rowsImported: 0, rowsDuplicate: 1200 });
    expect(await stored(prefix)).toEqual(before);
    expect(await events()).toEqual({ n: 1200, incidents: 1200, with_person: 1200 });
    const [{ identifiers: after }] = await ds.query(
      `SELECT count(*)::int AS identifiers FROM person_identifier WHERE department_id = $1`,
      [DEPT],
    );
    expect(after).toBe(identifiers);
  });

  it('an import batch creating a person waits for a report creating the same person, and joins it', async () => {
    const prefix = `C-${run}`;
    const identity = { name: 'Concurrent Newcomer', dob: '1991-01-19' };
    const index = BlindIndex.fromEnv().forDepartment(DEPT).personMatch(identity.name, identity.dob);
    const matcher = testApp.app.get(PersonMatcher);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let created!: (personId: string) => void;
    const reportPerson = new Promise<string>((r) => (created = r));
    // A single report of a new person, its transaction (and so its creation lock) held open.
    const report = tenantTransaction(testApp.db.dataSource, DEPT, async (em) => {
      const incidentId = `inc_${randomUUID().replace(/-/g, '')}`;
      await em.query(
        `INSERT INTO incident (id, department_id, occurred_at, received_at, call_type, encounter, bh_related_to, reporting_officer_id, created_by)
         VALUES ($1, $2, now(), now(), 'welfare-check', 'non-criminal', 'mental-health', 'officer-1', 'test')`,
        [incidentId, DEPT],
      );
      await em.query(
        `INSERT INTO incident_subject (id, incident_id, department_id, ordinal, name, person_match_index) VALUES ($1, $2, $3, 0, 'enc:v1:x', $4)`,
        [`sub_${incidentId}`, incidentId, DEPT, index],
      );
      const links = await matcher.linkSubjects(em, DEPT, [
        { id: `sub_${incidentId}`, personMatchIndex: index, personPhoneIndex: null },
      ]);
      created(links.get(`sub_${incidentId}`)!);
      await held;
    });
    const personId = await reportPerson;
    const body =
      JSON.stringify({
        ...createIncidentExample,
        externalIds: { cadCallNumber: `${prefix}-0` },
        subjects: [{ name: identity.name, dateOfBirth: identity.dob, flags: {} }],
      }) + '\n';
    const [{ since }] = await ds.query('SELECT now() AS since');
    const pending = post(body);
    let waited = false;
    try {
      // The batch needs a new person for this identity: it must wait for the report's creation lock.
      const deadline = Date.now() + 30_000;
      while (!waited && Date.now() < deadline) {
        const [{ n }] = await ds.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
        );
        waited = n > 0;
        const [job] = await ds.query(`SELECT status FROM import_job WHERE department_id = $1 AND started_at >= $2`, [
          DEPT,
          since,
        ]);
        if (!waited && job && job.status !== 'running') break;
        if (!waited) await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      release();
    }
    expect(waited).toBe(true);
    await report;
    expect(((await (await pending).json()) as Summary).rowsImported).toBe(1);
    const [row] = await ds.query(
      `SELECT s.person_id FROM incident_subject s JOIN incident i ON i.id = s.incident_id WHERE i.cad_call_number = $1`,
      [`${prefix}-0`],
    );
    expect(row.person_id).toBe(personId);
  });

  it('rows with escaped NUL or surrogates are judged by the text guard on the main thread', async () => {
    const prefix = `T-${run}`;
    const base = { ...createIncidentExample, subjects: [{ name: 'Text Guard', flags: {} }] };
    const body = [
      JSON.stringify({ ...base, externalIds: { cadCallNumber: `${prefix}-0` }, narrative: 'emoji \ud83d\ude00 ok' }),
      JSON.stringify({ ...base, externalIds: { cadCallNumber: `${prefix}-1` }, narrative: 'nul \u0000 here' }),
      JSON.stringify({ ...base, externalIds: { cadCallNumber: `${prefix}-2` } }).replace('"Text Guard"', '"\\ud800"'),
    ].join('\n');
    expect(body).toContain('\\u0000');
    const summary = (await (await post(body)).json()) as Summary;
    expect(summary).toMatchObject({ status: 'completed', rowsRead: 3, rowsImported: 1, rowsRejected: 2 });
    const errors = await ds.query(`SELECT line, field FROM import_row_error WHERE import_id = $1 ORDER BY line`, [
      summary.importId,
    ]);
    expect(errors).toEqual([
      { line: 2, field: 'narrative' },
      { line: 3, field: 'subjects.0.name' },
    ]);
  });
});
