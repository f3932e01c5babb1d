/**
 * person_identifier on the real database: matching through it, merge and undo re-pointing it,
 * reports about a known person not waiting for each other, the cost of a frequent contact not
 * growing with the person's history, and the migration's backfill from incident_subject.
 */
import { randomUUID } from 'node:crypto';
import { Module, type INestApplication } from '@nestjs/common';
import { issueDevToken } from '@cit/auth';
import {
  BlindIndex,
  createTestDatabase,
  runtimeRoleName,
  tenantTransaction,
  type TestDatabase,
} from '@cit/persistence';
import { createServiceApp, loadServiceEnv } from '@cit/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { intakeService } from '../intake.definition';
import { IntakePersonIdentifier1732700000140 } from '../migrations/1732700000140-intake-person-identifier';
import { PersonMatcher } from './person-matcher.service';
import { personPhoneIndex } from './person-indexes';
import { PersonsModule } from './persons.module';

@Module({ imports: [PersonsModule] })
class PersonIdentifierTestModule {}

const DEPT = 'dept-ident';

describe('person identifiers (integration)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let url: string;
  let matcher: PersonMatcher;
  let supervisor: string;
  const blind = BlindIndex.fromEnv();

  beforeAll(async () => {
    db = await createTestDatabase({
      entities: intakeService.entities,
      migrations: intakeService.migrations,
      prefix: 'intake_ident',
      runtimeRole: runtimeRoleName(intakeService.name),
    });
    ds = db.ownerDataSource;
    app = await createServiceApp(intakeService, PersonIdentifierTestModule, {
      ...loadServiceEnv(),
      DATABASE_NAME: db.databaseName,
      LOG_LEVEL: 'warn',
    });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    matcher = app.get(PersonMatcher);
    supervisor = await issueDevToken({ roles: ['supervisor'], department: DEPT });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const api = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${supervisor}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  type Identity = { name: string; dob?: string; phone?: string };
  const indexesOf = (s: Identity) => ({
    m: s.dob ? blind.forDepartment(DEPT).personMatch(s.name, s.dob) : null,
    p: personPhoneIndex(blind.forDepartment(DEPT), s.name, s.phone),
  });

  /** Inserts an incident with one subject in the given transaction and links it, as the incident writer does. */
  async function reportIn(em: EntityManager, subject: Identity) {
    const incidentId = `inc_${randomUUID().replace(/-/g, '')}`;
    const subjectId = `sub_${randomUUID().replace(/-/g, '')}`;
    const { m, p } = indexesOf(subject);
    await em.query(
      `INSERT INTO incident (id, department_id, occurred_at, received_at, call_type, encounter, bh_related_to, reporting_officer_id, created_by)
       VALUES ($1, $2, now(), now(), 'welfare-check', 'non-criminal', 'mental-health', 'officer-1', 'test')`,
      [incidentId, DEPT],
    );
    await em.query(
      `INSERT INTO incident_subject (id, incident_id, department_id, ordinal, name, person_match_index, person_phone_index)
       VALUES ($1, $2, $3, 0, 'enc:v1:test', $4, $5)`,
      [subjectId, incidentId, DEPT, m, p],
    );
    const links = await matcher.linkSubjects(em, DEPT, [{ id: subjectId, personMatchIndex: m, personPhoneIndex: p }]);
    return { incidentId, subjectId, personId: links.get(subjectId)! };
  }
  const report = (subject: Identity) => tenantTransaction(db.dataSource, DEPT, (em) => reportIn(em, subject));

  const holderOf = async (kind: 'dob' | 'phone', index: string | null) =>
    (
      await ds.query(
        'SELECT person_id FROM person_identifier WHERE department_id = $1 AND kind = $2 AND match_index = $3',
        [DEPT, kind, index],
      )
    )[0]?.person_id as string | undefined;

  it('a first report creates the person and its identifiers; later reports find the person through them', async () => {
    const who = { name: 'Ident First', dob: '1981-01-01', phone: '617-555-0101' };
    const a = await report(who);
    const { m, p } = indexesOf(who);
    expect(await holderOf('dob', m)).toBe(a.personId);
    expect(await holderOf('phone', p)).toBe(a.personId);
    // Matching reads the identifier table, not earlier subjects: with the table row re-pointed, the next report follows it.
    const [{ id: other }] = await ds.query(`INSERT INTO person (id, department_id) VALUES ($1, $2) RETURNING id`, [
      `per_${randomUUID().replace(/-/g, '')}`,
      DEPT,
    ]);
    await ds.query(`UPDATE person_identifier SET person_id = $1 WHERE department_id = $2 AND match_index = $3`, [
      other,
      DEPT,
      m,
    ]);
    expect((await report({ name: who.name, dob: who.dob })).personId).toBe(other);
    // A known person reported with a new phone: the phone now identifies it too.
    const b = await report({ name: who.name, dob: who.dob, phone: '617-555-0199' });
    expect(b.personId).toBe(other);
    expect(await holderOf('phone', indexesOf({ name: who.name, phone: '617-555-0199' }).p)).toBe(other);
  });

  it('a merge re-points the merged person’s identifiers to the survivor; an undo gives back exactly those', async () => {
    const source = { name: 'Ident Source', dob: '1982-02-02', phone: '617-555-0202' };
    const target = { name: 'Ident Target', dob: '1982-02-02' };
    const a = await report(source);
    const b = await report(target);
    const idx = indexesOf(source);
    const merged = await api(`/v1/persons/${a.personId}/merge`, { intoPersonId: b.personId, reason: 'dup' });
    expect(merged.status).toBe(200);
    const { mergeId } = (await merged.json()) as { mergeId: string };
    expect(await holderOf('dob', idx.m)).toBe(b.personId);
    expect(await holderOf('phone', idx.p)).toBe(b.personId);
    const [rec] = await ds.query('SELECT moved_identifiers FROM person_merge WHERE id = $1', [mergeId]);
    expect(rec.moved_identifiers).toHaveLength(2);
    expect((await report(source)).personId).toBe(b.personId);

    // After the merge the survivor gains a phone of its own: the undo leaves that one with it.
    const targetPhone = { name: target.name, dob: target.dob, phone: '617-555-0203' };
    await report(targetPhone);
    expect((await api(`/v1/persons/merges/${mergeId}/undo`, { reason: 'not the same' })).status).toBe(200);
    expect(await holderOf('dob', idx.m)).toBe(a.personId);
    expect(await holderOf('phone', idx.p)).toBe(a.personId);
    expect(await holderOf('dob', indexesOf(target).m)).toBe(b.personId);
    expect(await holderOf('phone', indexesOf(targetPhone).p)).toBe(b.personId);
    expect((await report(source)).personId).toBe(a.personId);
    expect((await report({ name: source.name, phone: source.phone })).personId).toBe(a.personId);
  });

  it('two concurrent first reports of a new person yield one person and one identifier row', async () => {
    const who = { name: 'Ident Race', dob: '1983-03-03', phone: '617-555-0303' };
    const results = await Promise.all([report(who), report(who)]);
    expect(results[0].personId).toBe(results[1].personId);
    const rows = await ds.query(
      `SELECT kind, person_id FROM person_identifier WHERE department_id = $1 AND match_index = ANY($2::text[])`,
      [DEPT, [indexesOf(who).m, indexesOf(who).p]],
    );
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r: { person_id: string }) => r.person_id))).toEqual(new Set([results[0].personId]));
  });

  it('reports about a known person do not wait for each other (no advisory lock when nothing is created)', async () => {
    const who = { name: 'Ident Known', dob: '1984-04-04', phone: '617-555-0404' };
    const first = await report(who);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let linkedInA!: () => void;
    const aLinked = new Promise<void>((r) => (linkedInA = r));
    // Transaction A links a report of the person and stays open.
    const a = tenantTransaction(db.dataSource, DEPT, async (em) => {
      const r = await reportIn(em, who);
      linkedInA();
      await held;
      return r;
    });
    await aLinked;
    try {
      // B about the same person must finish while A is still open (with per-index locks it would wait for A's commit).
      const b = await Promise.race([report(who), new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 3000))]);
      expect(b).not.toBe('blocked');
      expect((b as { personId: string }).personId).toBe(first.personId);
    } finally {
      release();
    }
    expect((await a).personId).toBe(first.personId);
  });

  it('a frequent contact costs what a new one does: one identifier probe, no scan of the person’s earlier subjects', async () => {
    const frequent = { name: 'Ident Frequent', dob: '1985-05-05', phone: '617-555-0505' };
    const f = await report(frequent);
    const { m, p } = indexesOf(frequent);
    // 5,000 earlier incidents of the person, set-based.
    await ds.query(
      `WITH inc AS (
         INSERT INTO incident (id, department_id, occurred_at, received_at, call_type, encounter, bh_related_to, reporting_officer_id, created_by)
         SELECT 'inc_freq' || g, $1, now(), now(), 'welfare-check', 'non-criminal', 'mental-health', 'officer-1', 'seed'
           FROM generate_series(1, 5000) g RETURNING id)
       INSERT INTO incident_subject (id, incident_id, department_id, ordinal, name, person_match_index, person_phone_index, person_id)
       SELECT 'sub_' || id, id, $1, 0, 'enc:v1:seed', $2, $3, $4 FROM inc`,
      [DEPT, m, p, f.personId],
    );
    // And a department of 20,000 other persons, so the planner sees a table worth an index.
    await ds.query(
      `WITH p AS (INSERT INTO person (id, department_id) SELECT 'per_other' || g, $1 FROM generate_series(1, 20000) g RETURNING id)
       INSERT INTO person_identifier (department_id, kind, match_index, person_id) SELECT $1, 'dob', 'idx_' || id, id FROM p`,
      [DEPT],
    );
    await ds.query('ANALYZE incident_subject; ANALYZE person_identifier; ANALYZE person');

    /** The work of the matcher's reads for one report: relations touched and rows examined, from EXPLAIN ANALYZE. */
    async function matchingWork(who: Identity) {
      return tenantTransaction(db.dataSource, DEPT, async (em) => {
        const statements: { sql: string; params: unknown[] }[] = [];
        const recording = new Proxy(em, {
          get(target, prop, receiver) {
            if (prop === 'query')
              return (sql: string, params: unknown[] = []) => {
                statements.push({ sql, params });
                return target.query(sql, params);
              };
            return Reflect.get(target, prop, receiver) as unknown;
          },
        });
        const r = await reportIn(recording, who);
        const reads = statements.filter((s) => /^\s*(WITH|SELECT)\b/i.test(s.sql) && !/pg_advisory/.test(s.sql));
        expect(reads.length).toBeGreaterThan(0);
        const relations = new Set<string>();
        let rowsExamined = 0;
        for (const read of reads) {
          const [{ 'QUERY PLAN': plan }] = await em.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${read.sql}`, read.params);
          const walk = (node: Record<string, unknown>) => {
            if (typeof node['Relation Name'] === 'string') {
              relations.add(node['Relation Name']);
              const loops = Number(node['Actual Loops'] ?? 1);
              rowsExamined += (Number(node['Actual Rows'] ?? 0) + Number(node['Rows Removed by Filter'] ?? 0)) * loops;
            }
            for (const child of (node['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(child);
          };
          walk((plan as { Plan: Record<string, unknown> }[])[0]!.Plan);
        }
        return { personId: r.personId, relations, rowsExamined };
      });
    }

    const hot = await matchingWork(frequent);
    expect(hot.personId).toBe(f.personId);
    expect([...hot.relations]).not.toContain('incident_subject');
    expect(hot.relations).toContain('person_identifier');
    // Two identifiers, each one row, plus the person row: independent of the 5,000 earlier incidents.
    expect(hot.rowsExamined).toBeLessThanOrEqual(6);

    const once = { name: 'Ident Once', dob: '1986-06-06', phone: '617-555-0606' };
    await report(once);
    const cold = await matchingWork(once);
    expect(hot.rowsExamined).toBeLessThanOrEqual(cold.rowsExamined);
  });

  it('the migration fills person_identifier from incident_subject, through merges, and records what old merges moved', async () => {
    const legacy = await createTestDatabase({
      entities: intakeService.entities,
      migrations: intakeService.migrations.filter((m) => m !== IntakePersonIdentifier1732700000140),
      prefix: 'intake_ident_mig',
    });
    try {
      const o = legacy.ownerDataSource;
      await o.query(
        `INSERT INTO person (id, department_id, merged_into) VALUES ('per_c', $1, NULL), ('per_b', $1, NULL), ('per_a', $1, NULL), ('per_x', $1, NULL)`,
        [DEPT],
      );
      await o.query(`UPDATE person SET merged_into = 'per_b' WHERE id = 'per_a'`);
      await o.query(`UPDATE person SET merged_into = 'per_c' WHERE id = 'per_b'`);
      await o.query(
        `INSERT INTO incident (id, department_id, occurred_at, received_at, call_type, encounter, bh_related_to, reporting_officer_id, created_by)
         SELECT 'inc_' || g, $1, now(), now(), 'x', 'criminal', 'neither', 'o', 't' FROM generate_series(1, 4) g`,
        [DEPT],
      );
      // Subjects as the old merges left them: a's and b's moved on to c; x untouched.
      await o.query(
        `INSERT INTO incident_subject (id, incident_id, department_id, ordinal, name, person_match_index, person_phone_index, person_id) VALUES
           ('sub_1', 'inc_1', $1, 0, 'enc:v1:x', 'MA', 'PA', 'per_c'),
           ('sub_2', 'inc_2', $1, 0, 'enc:v1:x', 'MB', NULL, 'per_c'),
           ('sub_3', 'inc_3', $1, 0, 'enc:v1:x', 'MC', NULL, 'per_c'),
           ('sub_4', 'inc_4', $1, 0, 'enc:v1:x', NULL, 'PX', 'per_x')`,
        [DEPT],
      );
      await o.query(
        `INSERT INTO person_merge (id, department_id, source_person_id, target_person_id, moved_subject_ids, reason, merged_by) VALUES
           ('pmg_ab', $1, 'per_a', 'per_b', '{sub_1}', 'r', 's'), ('pmg_bc', $1, 'per_b', 'per_c', '{sub_1,sub_2}', 'r', 's')`,
        [DEPT],
      );
      // An identifier still held by a merged-away person (not possible through the service, possible in old data).
      await o.query(`UPDATE incident_subject SET person_id = 'per_a' WHERE id = 'sub_1'`);

      const runner = o.createQueryRunner();
      await runner.startTransaction();
      await new IntakePersonIdentifier1732700000140().up(runner);
      await runner.commitTransaction();
      await runner.release();

      const rows = await o.query(
        `SELECT kind, match_index, person_id FROM person_identifier ORDER BY kind, match_index`,
      );
      expect(rows).toEqual([
        { kind: 'dob', match_index: 'MA', person_id: 'per_c' },
        { kind: 'dob', match_index: 'MB', person_id: 'per_c' },
        { kind: 'dob', match_index: 'MC', person_id: 'per_c' },
        { kind: 'phone', match_index: 'PA', person_id: 'per_c' },
        { kind: 'phone', match_index: 'PX', person_id: 'per_x' },
      ]);
      const merges = await o.query(`SELECT id, moved_identifiers FROM person_merge ORDER BY id`);
      expect(merges).toEqual([
        {
          id: 'pmg_ab',
          moved_identifiers: [
            { kind: 'dob', index: 'MA' },
            { kind: 'phone', index: 'PA' },
          ],
        },
        {
          id: 'pmg_bc',
          moved_identifiers: [
            { kind: 'dob', index: 'MA' },
            { kind: 'dob', index: 'MB' },
            { kind: 'phone', index: 'PA' },
          ],
        },
      ]);
      // Row-level security is back on every table the backfill touched, and on the new one.
      const forced = await o.query(
        `SELECT relname FROM pg_class WHERE relname = ANY($1::text[]) AND relforcerowsecurity ORDER BY relname`,
        [['incident_subject', 'person', 'person_merge', 'person_identifier']],
      );
      expect(forced.map((r: { relname: string }) => r.relname)).toEqual([
        'incident_subject',
        'person',
        'person_identifier',
        'person_merge',
      ]);
    } finally {
      await legacy.drop();
    }
  });
});
