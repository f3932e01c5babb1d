import { createHash } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { issueDevToken } from '@cit/auth';
import { createIncidentExample } from '@cit/contracts';
import {
  BlindIndex,
  blindIndexStatus,
  createTestDatabase,
  FieldCipher,
  LEGACY_VERSION,
  recomputeBlindIndexes,
  runBlindIndexCli,
  runtimeRoleName,
  type TestDatabase,
} from '@cit/persistence';
import { createServiceApp, loadServiceEnv } from '@cit/service-kit';
import { canonicalRequest } from '../incidents/create-incident/request-fingerprint';
import { intakeService } from '../intake.definition';
import { IntakeModule } from '../intake.module';

const A = 'dept-bi-a';
const B = 'dept-bi-b';

/**
 * Per-department, versioned blind indexes on the real PostgreSQL: intake restarted with each
 * rotation setting on one database, as a rolling restart would, and the recompute run between.
 */
describe('blind-index rotation (integration)', () => {
  let db: TestDatabase;
  let app: INestApplication | undefined;
  let url = '';
  const env = loadServiceEnv();
  const cipher = FieldCipher.fromConfig({ keys: env.PHI_KEYS, activeKeyId: env.PHI_ACTIVE_KEY_ID });
  const keysAt = (activeVersion: number, previousVersion: number | null) =>
    new BlindIndex(env.BLIND_INDEX_KEY, { activeVersion, previousVersion });
  let seq = 0;

  /** (Re)starts intake on the test database with this blind-index rotation state. */
  async function startIntake(rotation: Record<string, string>) {
    await app?.close();
    app = await createServiceApp(
      intakeService,
      IntakeModule,
      loadServiceEnv({ ...process.env, DATABASE_NAME: db.databaseName, LOG_LEVEL: 'warn', ...rotation }),
    );
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  const post = async (path: string, department: string, body: unknown, headers: Record<string, string> = {}) => {
    const token = await issueDevToken({ roles: ['supervisor'], department });
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        id: string;
        subjects: { personId: string }[];
        items: { id: string }[];
        mergeId: string;
      },
    };
  };

  const pat = { name: 'Pat Frequent', dateOfBirth: '1979-04-05', phone: '617-555-0199', flags: {} };
  const reportBody = (subject: Record<string, unknown> = pat) => ({
    ...createIncidentExample,
    externalIds: { cadCallNumber: `CAD-BI-${Date.now()}-${++seq}` },
    subjects: [subject],
  });
  const report = async (department: string, subject?: Record<string, unknown>) => {
    const res = await post('/v1/incidents', department, reportBody(subject));
    expect(res.status).toBe(201);
    return { id: res.body.id, personId: res.body.subjects[0]!.personId };
  };
  const search = async (department: string) => {
    const res = await post('/v1/incidents/search', department, {
      subject: { name: pat.name, dateOfBirth: pat.dateOfBirth },
    });
    expect(res.status).toBe(200);
    return res.body.items.map((i) => i.id).sort();
  };
  const storedIndexes = (ids: string[]) =>
    db.ownerDataSource.query(
      `SELECT incident_id, department_id, person_match_index, person_phone_index FROM incident_subject
        WHERE incident_id = ANY($1::text[]) ORDER BY incident_id`,
      [ids],
    ) as Promise<
      { incident_id: string; department_id: string; person_match_index: string; person_phone_index: string }[]
    >;
  const decrypt = (token: string, place: { departmentId: string; table: string; column: string; rowId: string }) =>
    cipher.decrypt(token, { ...place, legacyAad: '' });

  beforeAll(async () => {
    db = await createTestDatabase({
      entities: intakeService.entities,
      migrations: intakeService.migrations,
      prefix: 'intake_blind_rotation',
      runtimeRole: runtimeRoleName(intakeService.name),
      appendOnlyTables: intakeService.appendOnlyTables,
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const before: { id: string; personId: string }[] = [];
  let personInA = '';

  it('gives the same person unrelated indexes in two departments (version 1)', async () => {
    await startIntake({ BLIND_INDEX_ACTIVE_VERSION: '1', BLIND_INDEX_PREVIOUS_VERSION: 'none' });
    for (let i = 0; i < 3; i++) before.push(await report(A));
    const inB = await report(B);
    personInA = before[0]!.personId;
    expect(new Set(before.map((r) => r.personId))).toEqual(new Set([personInA]));
    const rows = await storedIndexes([before[0]!.id, inB.id]);
    const a = rows.find((r) => r.department_id === A)!;
    const b = rows.find((r) => r.department_id === B)!;
    expect(a.person_match_index).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(b.person_match_index).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(b.person_match_index).not.toBe(a.person_match_index);
    expect(b.person_phone_index).not.toBe(a.person_phone_index);
    // Neither is the former global index, which was the same in every department.
    const global = keysAt(1, LEGACY_VERSION).computeAt(LEGACY_VERSION, A, 'pat frequent|1979-04-05', 'person.match.v1');
    expect([a.person_match_index.slice(3), b.person_match_index.slice(3)]).not.toContain(global);
    expect(a.person_match_index).toBe(keysAt(1, null).forDepartment(A).personMatch(pat.name, pat.dateOfBirth));
  });

  it('keys the idempotency fingerprint per department: same body and key in two departments do not collide', async () => {
    const body = reportBody({ name: 'Idem Potent', dateOfBirth: '1990-01-01', flags: {} });
    const key = `idem-${Date.now()}`;
    const inA = await post('/v1/incidents', A, body, { 'idempotency-key': key });
    const inB = await post('/v1/incidents', B, body, { 'idempotency-key': key });
    expect([inA.status, inB.status]).toEqual([201, 201]);
    expect(inB.body.id).not.toBe(inA.body.id);
    const again = await post('/v1/incidents', A, body, { 'idempotency-key': key });
    expect([again.status, again.body.id]).toEqual([200, inA.body.id]);
    const stored: { department_id: string; request_hash: string }[] = await db.ownerDataSource.query(
      'SELECT department_id, request_hash FROM idempotency_key WHERE key = $1 ORDER BY department_id',
      [key],
    );
    const plain = createHash('sha256').update(canonicalRequest(body)).digest('hex');
    expect(stored).toHaveLength(2);
    for (const s of stored) {
      expect(s.request_hash).toMatch(/^v1:[0-9a-f]{64}$/);
      expect(s.request_hash).not.toContain(plain);
    }
    expect(stored[0]!.request_hash).not.toBe(stored[1]!.request_hash);

    // A fingerprint stored before the upgrade (the unkeyed digest) still recognizes its retry,
    // and the recompute later keys it.
    await db.ownerDataSource.query(
      'UPDATE idempotency_key SET request_hash = $1 WHERE key = $2 AND department_id = $3',
      [plain, key, A],
    );
    const legacyRetry = await post('/v1/incidents', A, body, { 'idempotency-key': key });
    expect([legacyRetry.status, legacyRetry.body.id]).toEqual([200, inA.body.id]);
  });

  const merge = { from: '', into: '', mergeId: '' };
  const mergedAway = { name: 'Merged Before', dateOfBirth: '1966-06-16', flags: {} };

  it('a merge made before the rotation (its undo record keeps the identifiers it moved)', async () => {
    merge.from = (await report(A, mergedAway)).personId;
    merge.into = (await report(A, { name: 'Merge Survivor', dateOfBirth: '1967-07-17', flags: {} })).personId;
    const merged = await post(`/v1/persons/${merge.from}/merge`, A, {
      intoPersonId: merge.into,
      reason: 'same person',
    });
    expect(merged.status).toBe(200);
    merge.mergeId = merged.body.mergeId;
    expect((await report(A, mergedAway)).personId).toBe(merge.into);
  });

  it('during a rotation finds the frequent contact under the previous version and writes the new one', async () => {
    await startIntake({ BLIND_INDEX_ACTIVE_VERSION: '2', BLIND_INDEX_PREVIOUS_VERSION: '1' });
    const during = await report(A);
    expect(during.personId).toBe(personInA);
    // By phone only (no date of birth): the phone identifier is found under version 1 too.
    const byPhone = await report(A, { name: pat.name, phone: '(617) 555 0199', flags: {} });
    expect(byPhone.personId).toBe(personInA);
    const [row] = await storedIndexes([during.id]);
    expect(row!.person_match_index).toMatch(/^v2:/);
    expect(row!.person_match_index).toBe(keysAt(2, 1).forDepartment(A).personMatch(pat.name, pat.dateOfBirth));
    expect((await storedIndexes(before.map((r) => r.id))).every((r) => r.person_match_index.startsWith('v1:'))).toBe(
      true,
    );
    // Search accepts both versions: the rows from before the rotation and the new one.
    expect(await search(A)).toEqual([...before.map((r) => r.id), during.id].sort());
    // The phone-only subject has no name + date of birth index: search by dob does not list it.
    before.push(during);
  });

  it('the recompute leaves no row on the old version, and matching still works with it retired', async () => {
    const keys = keysAt(2, 1);
    const departments = [A, B];
    const first = await blindIndexStatus(db.dataSource, keys, departments);
    expect(first.remaining).toBeGreaterThan(0);
    // Small batches and a budget: the run stops part-way and the next one resumes.
    const partial = await recomputeBlindIndexes(db.dataSource, {
      blindIndex: keys,
      decrypt,
      departments,
      batchSize: 2,
      maxBatches: 1,
    });
    expect(partial.stopped).toBe(true);
    const done = await recomputeBlindIndexes(db.dataSource, { blindIndex: keys, decrypt, departments, batchSize: 2 });
    expect(done.stopped).toBe(false);
    expect(done.failed).toEqual([]);
    expect(done.fingerprints).toBe(1);
    const status = await blindIndexStatus(db.dataSource, keys, departments);
    expect(status.remaining).toBe(0);
    for (const c of status.columns.filter((c) => c.table !== 'idempotency_key'))
      expect(Object.keys(c.byVersion)).toEqual(['2']);
    expect(status.columns.find((c) => c.table === 'idempotency_key')!.byVersion[LEGACY_VERSION]).toBeUndefined();
    const identifiers: { n: number }[] = await db.ownerDataSource.query(
      `SELECT count(*)::int AS n FROM person_identifier WHERE NOT starts_with(match_index, 'v2:')`,
    );
    expect(identifiers[0]!.n).toBe(0);

    await startIntake({ BLIND_INDEX_ACTIVE_VERSION: '2', BLIND_INDEX_PREVIOUS_VERSION: 'none' });
    const after = await report(A);
    expect(after.personId).toBe(personInA);
    expect(await search(A)).toEqual([...before.map((r) => r.id), after.id].sort());
    // Department B's person is still its own, and B's search finds only B's incident.
    expect((await search(B)).length).toBe(1);
    // The merge's undo record was rewritten with the new indexes: undoing it gives the merged
    // person back exactly its identifiers, and a new report of that identity finds it again.
    const [record] = await db.ownerDataSource.query('SELECT moved_identifiers FROM person_merge WHERE id = $1', [
      merge.mergeId,
    ]);
    expect(record.moved_identifiers.length).toBeGreaterThan(0);
    for (const m of record.moved_identifiers as { index: string }[]) expect(m.index).toMatch(/^v2:/);
    expect((await report(A, mergedAway)).personId).toBe(merge.into);
    const undone = await post(`/v1/persons/merges/${merge.mergeId}/undo`, A, { reason: 'not the same' });
    expect(undone.status).toBe(200);
    expect((await report(A, mergedAway)).personId).toBe(merge.from);
  });

  it('npm run keys -- blind-index status and recompute report per version and exit 0 when nothing is left', async () => {
    const lines: string[] = [];
    const cli = (command: string) =>
      runBlindIndexCli(
        [command, '--database', db.databaseName, '--department', A, '--department', B, '--env-file', '/nonexistent'],
        (l) => lines.push(l),
        { ...process.env, BLIND_INDEX_ACTIVE_VERSION: '2', BLIND_INDEX_PREVIOUS_VERSION: 'none' },
      );
    expect(await cli('recompute')).toBe(0);
    expect(await cli('status')).toBe(0);
    expect(lines.some((l) => /^intake incident_subject.person_match_index: v2 \(active\): \d+$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('intake: 0 blind index(es) not under v2'))).toBe(true);
    // Output names versions and counts, never values or keys.
    expect(lines.join('\n')).not.toMatch(/[0-9a-f]{64}|Pat Frequent/);
  });
});
