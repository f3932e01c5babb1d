/**
 * The caps of a bulk import on the real database: each one refuses the import with
 * problem+json naming the cap, and nothing of the refused body is stored.
 */
import { randomUUID } from 'node:crypto';
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

const DEPT = 'dept-import-limits';
const LIMITS = {
  INTAKE_IMPORT_MAX_FIELDS: '30',
  INTAKE_IMPORT_MAX_FIELD_CHARS: '500',
  INTAKE_IMPORT_MAX_BYTES: '20000',
  INTAKE_IMPORT_MAX_ROWS: '3',
  INTAKE_IMPORT_MAX_CONCURRENT: '1',
};
const CSV_HEADER = 'cad_call_number,occurred_at,call_type,encounter,bh_related_to,reporting_officer_id,narrative';

interface Problem {
  type: string;
  status: number;
  title: string;
  detail: string;
}

describe('import limits (integration)', () => {
  let testApp: IntakeTestApp;
  let ds: DataSource;
  let url: string;
  let admin: string;
  const run = randomUUID().slice(0, 8);
  const saved = { ...process.env };

  beforeAll(async () => {
    // Caps are read once, when the imports module starts.
    Object.assign(process.env, LIMITS);
    // The app connects as intake's runtime role; the test inspects as the owner.
    testApp = await startIntakeTestApp('intake_import_limits', ImportsTestModule);
    url = testApp.url;
    ds = testApp.db.ownerDataSource;
    admin = await issueDevToken({ roles: ['admin'], department: DEPT });
  }, 120_000);

  afterAll(async () => {
    process.env = saved;
    await testApp?.close();
  });

  const row = (cad: string) => JSON.stringify({ ...createIncidentExample, externalIds: { cadCallNumber: cad } });
  const csvRow = (cad: string, narrative = 'ok') =>
    `${cad},2021-03-04T05:06:07Z,welfare-check,non-criminal,neither,officer-9,${narrative}`;

  const post = (body: string | ReadableStream<Uint8Array>, query: string, contentType = 'application/x-ndjson') =>
    fetch(`${url}/v1/imports?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': contentType },
      body,
      ...(typeof body === 'string' ? {} : { duplex: 'half' }),
    } as RequestInit);

  /** Streams the text in 1 KiB chunks without a content-length (chunked), as a large export would arrive. */
  const chunked = (text: string) => {
    const bytes = new TextEncoder().encode(text);
    return new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1024) controller.enqueue(bytes.slice(i, i + 1024));
        controller.close();
      },
    });
  };

  const expectCapProblem = async (res: Response, status: number, cap: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as Problem;
    expect(problem).toMatchObject({
      status,
      type:
        status === 429
          ? 'https://cit-platform.org/problems/too-many-imports'
          : 'https://cit-platform.org/problems/import-limit-exceeded',
      title: 'Import limit exceeded',
    });
    expect(problem.detail).toMatch(new RegExp(`^${cap} \\(\\d+\\) exceeded`));
    return problem;
  };

  /** Nothing of the refused body stored: no incident, subject, person link or event with its numbers. */
  const expectNothingStored = async (prefix: string) => {
    const [{ incidents }] = await ds.query(
      `SELECT count(*)::int AS incidents FROM incident WHERE cad_call_number LIKE $1`,
      [`${prefix}%`],
    );
    const [{ events }] = await ds.query(
      `SELECT count(*)::int AS events FROM outbox WHERE payload->'data'->'externalIds'->>'cadCallNumber' LIKE $1`,
      [`${prefix}%`],
    );
    expect({ incidents, events }).toEqual({ incidents: 0, events: 0 });
  };

  const lastJob = async () => {
    const [job] = await ds.query(
      `SELECT id, status, failure FROM import_job WHERE department_id = $1 ORDER BY started_at DESC, id DESC LIMIT 1`,
      [DEPT],
    );
    return job as { id: string; status: string; failure: string } | undefined;
  };

  it('maxRows: a body with more rows than the cap is refused (413), the job failed naming the cap', async () => {
    const prefix = `ROWS-${run}-`;
    const res = await post([1, 2, 3, 4].map((i) => row(`${prefix}${i}`)).join('\n'), 'format=ndjson&emitEvents=true');
    await expectCapProblem(res, 413, 'maxRows');
    await expectNothingStored(prefix);
    expect(await lastJob()).toMatchObject({
      status: 'failed',
      failure: expect.stringMatching(/^maxRows \(3\) exceeded/),
    });

    const ok = await post([1, 2, 3].map((i) => row(`OK-${run}-${i}`)).join('\n'), 'format=ndjson');
    expect(ok.status).toBe(201);
  });

  it('maxFieldsPerRecord: a CSV record with more fields than the cap is refused (413)', async () => {
    const prefix = `FIELDS-${run}-`;
    const csv = [CSV_HEADER, csvRow(`${prefix}1`), `${prefix}2${',x'.repeat(30)}`].join('\n');
    const problem = await expectCapProblem(await post(csv, 'format=csv', 'text/csv'), 413, 'maxFieldsPerRecord');
    expect(problem.detail).toContain('line 3');
    await expectNothingStored(prefix);
  });

  it('maxFieldChars: a CSV field longer than the cap is refused (413) without quoting it', async () => {
    const prefix = `CHARS-${run}-`;
    const secret = `Privatename ${'x'.repeat(600)}`;
    const csv = [CSV_HEADER, csvRow(`${prefix}1`), csvRow(`${prefix}2`, secret)].join('\n');
    const problem = await expectCapProblem(await post(csv, 'format=csv', 'text/csv'), 413, 'maxFieldChars');
    expect(JSON.stringify(problem)).not.toContain('Privatename');
    expect((await lastJob())!.failure).not.toContain('Privatename');
    await expectNothingStored(prefix);
  });

  it('maxBytes: a declared content-length over the cap is refused before a job exists; a streamed body when it passes the cap', async () => {
    const prefix = `BYTES-${run}-`;
    const before = await lastJob();
    const big = Array.from({ length: 3 }, (_, i) => row(`${prefix}${i}`) + ' '.repeat(8000)).join('\n');
    await expectCapProblem(await post(big, 'format=ndjson'), 413, 'maxBytes');
    expect(await lastJob()).toEqual(before);

    await expectCapProblem(await post(chunked(big), 'format=ndjson'), 413, 'maxBytes');
    expect(await lastJob()).toMatchObject({
      status: 'failed',
      failure: expect.stringMatching(/^maxBytes \(20000\) exceeded/),
    });
    await expectNothingStored(prefix);
  });

  it('maxConcurrentPerDepartment: a second import while one runs is refused (429) and stores no job; a slot frees when it ends', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const enc = new TextEncoder();
    const first = post(
      new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(enc.encode(row(`CONC-${run}-1`) + '\n'));
          await gate;
          controller.close();
        },
      }),
      'format=ndjson',
    );
    try {
      const deadline = Date.now() + 30_000;
      let running: { id: string } | undefined;
      while (!running && Date.now() < deadline) {
        [running] = await ds.query(`SELECT id FROM import_job WHERE department_id = $1 AND status = 'running'`, [DEPT]);
        if (!running) await new Promise((r) => setTimeout(r, 25));
      }
      expect(running).toBeDefined();

      const busy = await post(row(`CONC-${run}-2`), 'format=ndjson');
      await expectCapProblem(busy, 429, 'maxConcurrentPerDepartment');
      expect(await lastJob()).toMatchObject({ id: running!.id, status: 'running' });
      await expectNothingStored(`CONC-${run}-2`);

      // Another department has slots of its own.
      const other = await issueDevToken({ roles: ['admin'], department: `${DEPT}-other` });
      const elsewhere = await fetch(`${url}/v1/imports?format=ndjson`, {
        method: 'POST',
        headers: { authorization: `Bearer ${other}`, 'content-type': 'application/x-ndjson' },
        body: row(`CONC-${run}-3`),
      });
      expect(elsewhere.status).toBe(201);
    } finally {
      // A failed expectation must not leave the first import (and the test run) waiting.
      release();
    }
    expect((await first).status).toBe(201);
    expect((await post(row(`CONC-${run}-2`), 'format=ndjson')).status).toBe(201);
  });
});
