/**
 * Tenancy enforced by PostgreSQL, on intake's real schema and as intake's runtime role
 * (cit_intake): a statement without the tenant setting sees nothing, and a statement that
 * forgets its department filter still cannot read, change or delete another department's
 * rows; foreign keys cannot cross departments even for the owner.
 */
import { randomUUID } from 'node:crypto';
import {
  createTestDatabase,
  runtimeRoleName,
  TENANT_SETTING,
  tenantTransaction,
  type TestDatabase,
} from '@cit/persistence';
import { intakeService } from './intake.definition';

const A = 'dept-a';
const B = 'dept-b';

/** Every intake table holding department data, one row per department written by the fixtures. */
const TABLES = [
  'incident',
  'incident_subject',
  'incident_supplement',
  'incident_change',
  'idempotency_key',
  'screening_config',
  'review_item',
  'person',
  'person_merge',
  'import_job',
  'import_row_error',
  'outbox',
  'inbox',
] as const;

describe('tenancy enforced by PostgreSQL (intake schema, runtime role)', () => {
  let db: TestDatabase;
  const ids: Record<string, { incident: string; person: string; person2: string; job: string }> = {};

  /** One row in every table for a department, written by the owner (fixtures ignore RLS). */
  async function seed(dept: string): Promise<void> {
    const s = randomUUID().slice(0, 8);
    const r = { incident: `inc_${s}`, person: `per_${s}`, person2: `per2_${s}`, job: `imp_${s}` };
    ids[dept] = r;
    const q = (sql: string, params: unknown[]) => db.ownerDataSource.query(sql, params);
    await q(
      `INSERT INTO incident (id, department_id, occurred_at, received_at, call_type, encounter, bh_related_to, reporting_officer_id, created_by)
       VALUES ($1, $2, now(), now(), 'welfare-check', 'non-criminal', 'neither', 'o-1', 'o-1')`,
      [r.incident, dept],
    );
    await q(`INSERT INTO person (id, department_id) VALUES ($1, $2), ($3, $2)`, [r.person, dept, r.person2]);
    await q(
      `INSERT INTO incident_subject (id, incident_id, department_id, ordinal, name, person_id) VALUES ($1, $2, $3, 0, 'enc:v1:x', $4)`,
      [`sub_${s}`, r.incident, dept, r.person],
    );
    await q(
      `INSERT INTO incident_supplement (id, incident_id, department_id, narrative, added_by) VALUES ($1, $2, $3, 'enc:v1:x', 'o-1')`,
      [`sup_${s}`, r.incident, dept],
    );
    await q(
      `INSERT INTO incident_change (id, incident_id, department_id, version, kind, changed_fields, reason_code, changed_by)
       VALUES ($1, $2, $3, 2, 'correction', ARRAY['district'], 'typo', 'o-1')`,
      [`chg_${s}`, r.incident, dept],
    );
    await q(`INSERT INTO idempotency_key (department_id, key, request_hash, incident_id) VALUES ($1, $2, 'h', $3)`, [
      dept,
      `key_${s}`,
      r.incident,
    ]);
    await q(`INSERT INTO screening_config (department_id, updated_by) VALUES ($1, 'admin-1')`, [dept]);
    await q(`INSERT INTO review_item (id, incident_id, department_id, reasons) VALUES ($1, $2, $3, '[]'::jsonb)`, [
      `rvw_${s}`,
      r.incident,
      dept,
    ]);
    await q(
      `INSERT INTO person_merge (id, department_id, source_person_id, target_person_id, moved_subject_ids, reason, merged_by)
       VALUES ($1, $2, $3, $4, '{}', 'enc:v1:x', 'sup-1')`,
      [`pmg_${s}`, dept, r.person2, r.person],
    );
    await q(
      `INSERT INTO import_job (id, department_id, format, emit_events, status, created_by) VALUES ($1, $2, 'ndjson', false, 'completed', 'a-1')`,
      [r.job, dept],
    );
    await q(`INSERT INTO import_row_error (import_id, department_id, line, reason) VALUES ($1, $2, 1, 'bad')`, [
      r.job,
      dept,
    ]);
    await q(
      `INSERT INTO outbox (id, topic, message_key, event_type, payload, department_id) VALUES ($1, 't', $2, 'cit.incident.reported.v1', '{}'::jsonb, $3)`,
      [randomUUID(), r.incident, dept],
    );
    await q(`INSERT INTO inbox (consumer, event_id, department_id) VALUES ('cit.intake', $1, $2)`, [
      randomUUID(),
      dept,
    ]);
  }

  const countAs = async (run: (sql: string) => Promise<{ n: number }[]>, table: string) =>
    (await run(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  const ownerCount = (table: string, dept: string) =>
    db.ownerDataSource
      .query(`SELECT count(*)::int AS n FROM ${table} WHERE department_id = $1`, [dept])
      .then((r: { n: number }[]) => r[0]!.n);

  beforeAll(async () => {
    db = await createTestDatabase({
      entities: intakeService.entities,
      migrations: intakeService.migrations,
      prefix: 'intake_tenancy',
      runtimeRole: runtimeRoleName(intakeService.name),
    });
    await seed(A);
    await seed(B);
  }, 120_000);
  afterAll(() => db?.drop());

  it('has a row of each department in every table (so the checks below are not vacuous)', async () => {
    for (const table of TABLES) {
      expect({ table, a: await ownerCount(table, A), b: await ownerCount(table, B) }).toEqual({
        table,
        a: table === 'person' ? 2 : 1,
        b: table === 'person' ? 2 : 1,
      });
    }
  });

  it('returns nothing to a query without the tenant setting, in or out of a transaction', async () => {
    for (const table of TABLES) {
      expect({ table, n: await countAs((sql) => db.dataSource.query(sql), table) }).toEqual({ table, n: 0 });
      const inTx = await db.dataSource.transaction((em) => countAs((sql) => em.query(sql), table));
      expect({ table, n: inTx }).toEqual({ table, n: 0 });
    }
  });

  it('leaves no tenant on a pooled connection once the tenant transaction ended', async () => {
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SELECT set_config($1, $2, true)', [TENANT_SETTING, A]);
      expect(await countAs((sql) => runner.query(sql), 'incident')).toBe(1);
      await runner.commitTransaction();
      // Same session: PostgreSQL now reports the setting as '' (not NULL); still no rows.
      expect(await countAs((sql) => runner.query(sql), 'incident')).toBe(0);
    } finally {
      await runner.release();
    }
  });

  it('shows a statement without its department filter only the tenant’s rows', async () => {
    for (const table of TABLES) {
      const rows = await tenantTransaction(db.dataSource, A, (em) =>
        em.query(`SELECT DISTINCT department_id FROM ${table}`),
      );
      expect({ table, rows }).toEqual({ table, rows: [{ department_id: A }] });
    }
    // By id, as the listed statements did before their filter: another department's id is simply absent.
    const found = await tenantTransaction(db.dataSource, A, (em) =>
      em.query('SELECT id FROM incident WHERE id = $1', [ids[B]!.incident]),
    );
    expect(found).toEqual([]);
  });

  it('lets an UPDATE without its department filter change only the tenant’s rows', async () => {
    const [, changed] = await tenantTransaction(db.dataSource, A, (em) =>
      em.query(`UPDATE incident SET district = 'changed'`),
    );
    expect(changed).toBe(1);
    const [, byId] = await tenantTransaction(db.dataSource, A, (em) =>
      em.query(`UPDATE person SET merged_into = NULL WHERE id = $1`, [ids[B]!.person2]),
    );
    expect(byId).toBe(0);
    const b = await db.ownerDataSource.query(`SELECT district FROM incident WHERE department_id = $1`, [B]);
    expect(b).toEqual([{ district: null }]);
  });

  it('lets a DELETE without its department filter remove only the tenant’s rows', async () => {
    const [, deleted] = await tenantTransaction(db.dataSource, A, (em) => em.query(`DELETE FROM import_row_error`));
    expect(deleted).toBe(1);
    expect(await ownerCount('import_row_error', A)).toBe(0);
    expect(await ownerCount('import_row_error', B)).toBe(1);
    const [, byId] = await tenantTransaction(db.dataSource, A, (em) =>
      em.query(`DELETE FROM incident_supplement WHERE incident_id = $1`, [ids[B]!.incident]),
    );
    expect(byId).toBe(0);
    expect(await ownerCount('incident_supplement', B)).toBe(1);
  });

  it('refuses to write a row of another department, or to move a row there', async () => {
    await expect(
      tenantTransaction(db.dataSource, A, (em) =>
        em.query(`INSERT INTO person (id, department_id) VALUES ($1, $2)`, [`per_x_${randomUUID().slice(0, 8)}`, B]),
      ),
    ).rejects.toMatchObject({ driverError: { code: '42501' } });
    await expect(
      tenantTransaction(db.dataSource, A, (em) =>
        em.query(`UPDATE person SET department_id = $1 WHERE id = $2`, [B, ids[A]!.person2]),
      ),
    ).rejects.toMatchObject({ driverError: { code: '42501' } });
    await expect(
      tenantTransaction(db.dataSource, A, (em) =>
        em.query(
          `INSERT INTO outbox (id, topic, message_key, event_type, payload, department_id) VALUES ($1, 't', 'k', 'e', '{}'::jsonb, $2)`,
          [randomUUID(), B],
        ),
      ),
    ).rejects.toMatchObject({ driverError: { code: '42501' } });
    // Without a tenant nothing can be written at all.
    await expect(
      db.dataSource.query(`INSERT INTO person (id, department_id) VALUES ($1, $2)`, [
        `per_y_${randomUUID().slice(0, 8)}`,
        A,
      ]),
    ).rejects.toMatchObject({
      driverError: { code: '42501' },
    });
  });

  it('refuses foreign keys that cross departments, even for the owner', async () => {
    await expect(
      db.ownerDataSource.query(
        `INSERT INTO incident_subject (id, incident_id, department_id, ordinal, name) VALUES ($1, $2, $3, 0, 'enc:v1:x')`,
        [`sub_x_${randomUUID().slice(0, 8)}`, ids[B]!.incident, A],
      ),
    ).rejects.toMatchObject({ driverError: { code: '23503' } });
    await expect(
      db.ownerDataSource.query(`UPDATE person SET merged_into = $1 WHERE id = $2`, [ids[B]!.person, ids[A]!.person2]),
    ).rejects.toMatchObject({
      driverError: { code: '23503' },
    });
    await expect(
      db.ownerDataSource.query(
        `INSERT INTO import_row_error (import_id, department_id, line, reason) VALUES ($1, $2, 9, 'x')`,
        [ids[B]!.job, A],
      ),
    ).rejects.toMatchObject({ driverError: { code: '23503' } });
  });
});
