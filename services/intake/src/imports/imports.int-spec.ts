/**
 * Bulk import over HTTP on the real database: streamed NDJSON and CSV, row errors by line
 * without values, idempotent re-runs, optional events, live progress and client disconnects.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Module } from '@nestjs/common';
import { issueDevToken } from '@cit/auth';
import { createIncidentExample } from '@cit/contracts';
import { AuditModule } from '@cit/audit';
import type { DataSource } from 'typeorm';
import { startIntakeTestApp, type IntakeTestApp } from '../testing/intake-test-app';
import { ImportsModule } from './imports.module';

// Imports are recorded in the PHI access audit, as in the service (IntakeModule).
@Module({ imports: [AuditModule.forService('intake'), ImportsModule] })
class ImportsTestModule {}

const DEPT = 'dept-imports';
const PHI_NAME = 'Quentin Privatename';

interface Summary {
  importId: string;
  status: string;
  rowsRead: number;
  rowsImported: number;
  rowsDuplicate: number;
  rowsRejected: number;
  failure?: string;
}
interface Report extends Summary {
  errors: { total: number; items: { line: number; field: string; reason: string }[]; nextCursor: string | null };
}

describe('imports (integration)', () => {
  let testApp: IntakeTestApp;
  let ds: DataSource;
  let url: string;
  let admin: string;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    // The app connects as intake's runtime role; the test inspects as the owner.
    testApp = await startIntakeTestApp('intake_imports', ImportsTestModule);
    url = testApp.url;
    ds = testApp.db.ownerDataSource;
    admin = await issueDevToken({ roles: ['admin'], department: DEPT });
  }, 120_000);

  afterAll(async () => {
    await testApp?.close();
  });

  const row = (cad: string, over: Record<string, unknown> = {}) =>
    JSON.stringify({ ...createIncidentExample, externalIds: { cadCallNumber: cad }, ...over });

  const post = async (
    body: string | ReadableStream<Uint8Array>,
    query: string,
    contentType = 'application/x-ndjson',
    token = admin,
  ) =>
    fetch(`${url}/v1/imports?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body,
      ...(typeof body === 'string' ? {} : { duplex: 'half' }),
    } as RequestInit);

  const report = async (id: string, query = '') => {
    const res = await fetch(`${url}/v1/imports/${id}${query}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Report;
  };

  it('imports NDJSON: good rows stored encrypted and linked to persons, bad rows reported by line and field without values', async () => {
    const lines = [
      row(`N-${run}-1`),
      '{"not json',
      row(`N-${run}-2`, { subjects: [{ name: PHI_NAME, dateOfBirth: '1961-01-01', flags: {} }] }),
      '',
      row(`N-${run}-3`, { externalIds: {} }),
      row(`N-${run}-4`, { encounter: PHI_NAME, subjects: [{ name: PHI_NAME, phone: `${PHI_NAME}!`, flags: {} }] }),
      row(`N-${run}-5`, { subjects: [{ name: PHI_NAME.toUpperCase(), dateOfBirth: '1961-01-01', flags: {} }] }),
      row(`N-${run}-6`, { externalIds: { rmsIncidentNumber: `RMS-${run}-6` } }),
    ];
    const res = await post(lines.join('\n') + '\n', 'format=ndjson');
    expect(res.status).toBe(201);
    const summary = (await res.json()) as Summary;
    expect(res.headers.get('location')).toBe(`/v1/imports/${summary.importId}`);
    expect(summary).toMatchObject({
      status: 'completed',
      rowsRead: 7,
      rowsImported: 4,
      rowsDuplicate: 0,
      rowsRejected: 3,
    });

    const r = await report(summary.importId);
    expect(r.errors.items).toEqual([
      { line: 2, field: '(row)', reason: 'not valid JSON' },
      { line: 5, field: 'externalIds', reason: expect.stringContaining('required') },
      ...[
        { line: 6, field: 'encounter', reason: expect.any(String) },
        { line: 6, field: 'subjects.0.phone', reason: 'must be a phone number' },
      ].sort((a, b) => a.reason.localeCompare(b.reason)),
    ]);
    expect(r.errors.total).toBe(4);
    expect(JSON.stringify(r)).not.toContain('Quentin');
    expect(JSON.stringify(await ds.query('SELECT * FROM import_row_error'))).not.toContain('Quentin');

    const stored = await ds.query(
      `SELECT i.cad_call_number, i.source, i.narrative, i.location_address, s.name, s.person_id
         FROM incident i LEFT JOIN incident_subject s ON s.incident_id = i.id
        WHERE i.department_id = $1 AND (i.cad_call_number LIKE $2 OR i.rms_incident_number LIKE $3) ORDER BY i.cad_call_number`,
      [DEPT, `N-${run}-%`, `RMS-${run}-%`],
    );
    expect(stored).toHaveLength(4);
    expect(JSON.stringify(stored)).not.toMatch(/Quentin|Harbor Street|Jordan/);
    for (const s of stored) {
      expect(s.source).toBe('import');
      expect(s.narrative).toMatch(/^enc:v2:/);
      expect(s.person_id).toMatch(/^per_/);
    }
    const byCad = Object.fromEntries(
      stored.map((s: { cad_call_number: string; person_id: string }) => [s.cad_call_number, s.person_id]),
    );
    // Same name (case aside) and date of birth → one person.
    expect(byCad[`N-${run}-2`]).toBe(byCad[`N-${run}-5`]);
    expect(byCad[`N-${run}-1`]).not.toBe(byCad[`N-${run}-2`]);
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE payload->>'subject' IN (SELECT id FROM incident WHERE cad_call_number LIKE $1)`,
      [`N-${run}-%`],
    );
    expect(n).toBe(0);

    // Re-running the same file creates nothing new.
    const again = (await (await post(lines.join('\n'), 'format=ndjson')).json()) as Summary;
    expect(again).toMatchObject({
      status: 'completed',
      rowsRead: 7,
      rowsImported: 0,
      rowsDuplicate: 4,
      rowsRejected: 3,
    });
    const [{ total }] = await ds.query(
      `SELECT count(*)::int AS total FROM incident WHERE cad_call_number LIKE $1 OR rms_incident_number LIKE $2`,
      [`N-${run}-%`, `RMS-${run}-%`],
    );
    expect(total).toBe(4);
  });

  it('emitEvents=true appends cit.incident.reported.v1 (source import, person ids) per imported incident, in the batch', async () => {
    const lines = [row(`E-${run}-1`), row(`E-${run}-2`), row(`E-${run}-2`)];
    const summary = (await (await post(lines.join('\n'), 'format=ndjson&emitEvents=true')).json()) as Summary;
    expect(summary).toMatchObject({ rowsImported: 2, rowsDuplicate: 1 });
    const events = await ds.query(
      `SELECT o.event_type, o.payload FROM outbox o JOIN incident i ON i.id = o.payload->>'subject' WHERE i.cad_call_number LIKE $1`,
      [`E-${run}-%`],
    );
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e.event_type).toBe('cit.incident.reported.v1');
      expect(e.payload.data.source).toBe('import');
      expect(e.payload.data.subjects[0].personId).toMatch(/^per_/);
      expect(e.payload.data.subjects[0].name).toMatch(/^enc:v2:/);
      expect(e.payload.departmentid).toBe(DEPT);
      expect(e.payload.source).toBe('/cit/intake');
    }
  });

  it('screens imported incidents into the review queue only when screen=true (default off), and says so on the job', async () => {
    // Unflagged, but the call type and the narrative both suggest behavioral health.
    const unflagged = (cad: string) =>
      row(cad, {
        narrative: 'Neighbor says he took fentanyl and is not answering.',
        behavioralHealth: { relatedTo: 'neither', observations: [], suspectedUsing: ['N'] },
      });
    const queued = (cads: string[]) =>
      ds.query<{ cad: string; status: string; reasons: { suggests: string }[] }[]>(
        `SELECT i.cad_call_number AS cad, r.status, r.reasons FROM review_item r JOIN incident i ON i.id = r.incident_id
          WHERE i.department_id = $1 AND i.cad_call_number = ANY($2) ORDER BY cad`,
        [DEPT, cads],
      );

    const quiet = (await (await post([unflagged(`S-${run}-off`)].join('\n'), 'format=ndjson')).json()) as Summary & {
      screen: boolean;
    };
    expect(quiet).toMatchObject({ status: 'completed', rowsImported: 1, screen: false });
    expect(await queued([`S-${run}-off`])).toEqual([]);

    const screened = (await (
      await post([unflagged(`S-${run}-on`), unflagged(`S-${run}-off`)].join('\n'), 'format=ndjson&screen=true')
    ).json()) as Summary & {
      screen: boolean;
    };
    expect(screened).toMatchObject({ status: 'completed', rowsImported: 1, rowsDuplicate: 1, screen: true });
    const items = await queued([`S-${run}-on`, `S-${run}-off`]);
    // The duplicate row stored nothing, so it screened nothing either.
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ cad: `S-${run}-on`, status: 'pending' });
    expect(items[0]!.reasons.map((r) => r.suggests).sort()).toEqual(['mental-health', 'narcotics']);
    expect(JSON.stringify(items[0]!.reasons)).not.toContain('Neighbor');
  });

  it('imports CSV with quotes, embedded newlines and CRLF; bad rows by their starting line and column', async () => {
    const header =
      'cad_call_number,rms_incident_number,occurred_at,call_type,encounter,bh_related_to,bh_observations,suspected_using,narrative,reporting_officer_id,subject_name,subject_dob,subject_phone,subject_flags,address';
    const csv = [
      header,
      `C-${run}-1,,2021-03-04T05:06:07Z,welfare-check,non-criminal,mental-health,suicidal-statements;trauma,N,"Said ""help"", then
walked off",officer-9,"${PHI_NAME}",1955-05-05,,veteran,"12 Elm St, Apt 2"`,
      `C-${run}-2,,2021-03-05T05:06:07Z,welfare-check,sometimes,mental-health,,,,officer-9,"${PHI_NAME}",,,,`,
      `,,2021-03-06T05:06:07Z,welfare-check,criminal,neither,,,,officer-9,,,,,`,
      `C-${run}-4,R-${run}-4,2021-03-07T05:06:07Z,disturbance,criminal,both,,A;D,,officer-9,"${PHI_NAME}",1955-05-05,617-555-0100,,`,
      `C-${run}-5,too,few`,
    ].join('\r\n');
    const res = await post(csv + '\r\n', 'format=csv', 'text/csv; charset=utf-8');
    expect(res.status).toBe(201);
    const summary = (await res.json()) as Summary;
    expect(summary).toMatchObject({ status: 'completed', rowsRead: 5, rowsImported: 2, rowsRejected: 3 });
    const r = await report(summary.importId);
    expect(r.errors.items).toEqual([
      { line: 4, field: 'encounter', reason: expect.any(String) },
      { line: 5, field: 'cad_call_number|rms_incident_number', reason: expect.stringContaining('required') },
      { line: 7, field: '(row)', reason: 'has 3 fields, the header has 15' },
    ]);
    expect(JSON.stringify(r)).not.toMatch(/Quentin|sometimes/);
    const stored = await ds.query(
      `SELECT i.cad_call_number, i.bh_observations, i.bh_suspected_using, s.person_id, s.veteran FROM incident i JOIN incident_subject s ON s.incident_id = i.id
        WHERE i.cad_call_number LIKE $1 ORDER BY 1`,
      [`C-${run}-%`],
    );
    expect(stored).toMatchObject([
      { cad_call_number: `C-${run}-1`, bh_observations: ['suicidal-statements', 'trauma'], veteran: true },
      { cad_call_number: `C-${run}-4`, bh_suspected_using: ['A', 'D'], veteran: false },
    ]);
    expect(stored[0].person_id).toBe(stored[1].person_id);
  });

  it('rejects a CSV with an unusable header (400 naming the column, job failed) and mismatched content types (415)', async () => {
    const bad = await post('cad_call_number,shoe_size\nC-1,9\n', 'format=csv', 'text/csv');
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['header.shoe_size', 'header.occurred_at']),
    );
    const id = bad.headers.get('location')!.split('/').pop()!;
    expect(await report(id)).toMatchObject({ status: 'failed', failure: expect.stringContaining('header') });

    expect((await post(row('X'), 'format=csv')).status).toBe(415);
    expect((await post(row('X'), 'format=ndjson', 'application/json')).status).toBe(415);
    const noFormat = await post(row('X'), 'emitEvents=true');
    expect(noFormat.status).toBe(400);
    expect(((await noFormat.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('format');
    const clinician = await issueDevToken({ roles: ['clinician'], department: DEPT });
    expect((await post(row('X'), 'format=ndjson', 'application/x-ndjson', clinician)).status).toBe(403);
    const other = await issueDevToken({ roles: ['admin'], department: 'dept-elsewhere' });
    const otherGet = await fetch(`${url}/v1/imports/${id}`, { headers: { authorization: `Bearer ${other}` } });
    expect(otherGet.status).toBe(404);
  });

  it('commits batch by batch: progress is visible while the body is still streaming', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const enc = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (let i = 0; i < 2500; i++) controller.enqueue(enc.encode(row(`P-${run}-${i}`) + '\n'));
        await gate;
        controller.enqueue(enc.encode(row(`P-${run}-last`) + '\n'));
        controller.close();
      },
    });
    const pending = post(body, 'format=ndjson');
    let importId: string | undefined;
    const deadline = Date.now() + 30_000;
    let progress: Report | undefined;
    while (Date.now() < deadline) {
      const [job] = await ds.query(
        `SELECT id FROM import_job WHERE department_id = $1 AND status = 'running' ORDER BY started_at DESC LIMIT 1`,
        [DEPT],
      );
      importId = job?.id;
      if (importId) {
        progress = await report(importId);
        if (progress.rowsImported >= 2000) break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(progress).toMatchObject({ status: 'running', rowsImported: 2000 });
    release();
    const done = (await (await pending).json()) as Summary;
    expect(done).toMatchObject({ importId, status: 'completed', rowsRead: 2501, rowsImported: 2501 });
  });

  it('marks the import failed when the client disconnects; committed batches stay and a re-run skips them', async () => {
    const lines = Array.from({ length: 1500 }, (_, i) => row(`D-${run}-${i}`) + '\n');
    const req = httpRequest(`${url}/v1/imports?format=ndjson`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${admin}`,
        'content-type': 'application/x-ndjson',
        'transfer-encoding': 'chunked',
      },
    });
    req.on('error', () => undefined);
    req.write(lines.join(''));
    let id: string | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const [job] = await ds.query(
        `SELECT id, rows_imported FROM import_job WHERE department_id = $1 AND status = 'running' ORDER BY started_at DESC LIMIT 1`,
        [DEPT],
      );
      if (job?.rows_imported >= 1000) {
        id = job.id;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(id).toBeDefined();
    req.destroy();
    let failed: Report | undefined;
    while (Date.now() < deadline) {
      failed = await report(id!);
      if (failed.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(failed).toMatchObject({
      status: 'failed',
      failure: expect.stringContaining('client disconnected'),
      rowsImported: 1000,
    });

    const rerun = (await (await post(lines.join(''), 'format=ndjson')).json()) as Summary;
    expect(rerun).toMatchObject({ status: 'completed', rowsImported: 500, rowsDuplicate: 1000 });
  });

  it('pages the error report on line boundaries', async () => {
    const lines = Array.from({ length: 30 }, (_, i) =>
      i % 2 ? row(`Q-${run}-${i}`) : row(`Q-${run}-${i}`, { encounter: 'x', callType: '' }),
    );
    const summary = (await (await post(lines.join('\n'), 'format=ndjson')).json()) as Summary;
    expect(summary.rowsRejected).toBe(15);
    const first = await report(summary.importId, '?errorLimit=4');
    expect(new Set(first.errors.items.map((e) => e.line)).size).toBe(4);
    expect(first.errors.total).toBeGreaterThanOrEqual(15);
    const second = await report(summary.importId, `?errorLimit=1000&errorsCursor=${first.errors.nextCursor}`);
    expect(second.errors.items[0]!.line).toBeGreaterThan(first.errors.items[first.errors.items.length - 1]!.line);
    expect(second.errors.nextCursor).toBeNull();
  });
});
