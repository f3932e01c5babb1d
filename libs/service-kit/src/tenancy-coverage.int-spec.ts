/**
 * Row-level security covers every table of every service database: the one check a new
 * table or a new service cannot escape. Service definitions are found on disk
 * (services/<name>/src/<name>.definition.ts), not imported, so a service added later is
 * covered without editing this test; the five known ones must be among them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createTestDatabase,
  currentRoleFacts,
  runtimeRoleName,
  TENANT_POLICY,
  TENANT_SETTING,
  type TestDatabase,
} from '@cit/persistence';
import type { ServiceDefinition } from './core/service-definition';

/** The only table without row-level security: TypeORM's own bookkeeping, no department data, and the runtime role has no privilege on it at all. */
const EXEMPT_TABLES = new Set(['migrations']);

const root = join(__dirname, '..', '..', '..');

function serviceDefinitions(): ServiceDefinition[] {
  const defs: ServiceDefinition[] = [];
  for (const name of readdirSync(join(root, 'services'))) {
    const file = join(root, 'services', name, 'src', `${name}.definition.ts`);
    // Loaded by path (jest compiles it); a lib must not import a service statically.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as Record<string, unknown>;
    defs.push(
      ...Object.values(mod).filter(
        (v): v is ServiceDefinition => typeof v === 'object' && v !== null && 'migrations' in v && 'name' in v,
      ),
    );
  }
  return defs;
}

interface TableFacts {
  schema: string;
  table: string;
  rls: boolean;
  force: boolean;
  policies: string[];
  tenantPolicy: string | null;
  hasDepartment: boolean;
  runtimePrivileges: string[];
}

async function tableFacts(db: TestDatabase): Promise<TableFacts[]> {
  return db.ownerDataSource.query(
    `SELECT n.nspname AS schema, c.relname AS "table", c.relrowsecurity AS rls, c.relforcerowsecurity AS force,
            coalesce(array(SELECT p.polname::text FROM pg_policy p WHERE p.polrelid = c.oid ORDER BY 1), '{}') AS policies,
            (SELECT pg_get_expr(p.polqual, p.polrelid) || ' / ' || pg_get_expr(p.polwithcheck, p.polrelid)
               FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = $1) AS "tenantPolicy",
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'department_id' AND NOT a.attisdropped) AS "hasDepartment",
            array(SELECT privilege_type::text FROM information_schema.role_table_grants g
                   WHERE g.table_schema = n.nspname AND g.table_name = c.relname AND g.grantee = $2 ORDER BY 1) AS "runtimePrivileges"
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      ORDER BY 1, 2`,
    [TENANT_POLICY, db.runtimeRole],
  );
}

describe('row-level security covers every service database', () => {
  const defs = serviceDefinitions();

  it('finds every service definition', () => {
    expect(defs.map((d) => d.name)).toEqual(
      expect.arrayContaining(['intake', 'triage', 'referral', 'conference', 'followup']),
    );
  });

  describe.each(defs.map((d) => [d.name, d] as const))('%s', (name, def) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase({
        entities: def.entities,
        migrations: def.migrations,
        prefix: `rls_${name}`,
        runtimeRole: runtimeRoleName(def.name),
        appendOnlyTables: def.appendOnlyTables,
      });
    }, 120_000);
    afterAll(() => db?.drop());

    it('puts every table but the migrations table under ENABLE + FORCE row-level security with the tenant policy', async () => {
      const facts = await tableFacts(db);
      expect(facts.length).toBeGreaterThan(1);
      const uncovered = facts
        .filter((t) => !EXEMPT_TABLES.has(t.table))
        .filter((t) => !t.rls || !t.force || !t.hasDepartment || !t.tenantPolicy?.includes(TENANT_SETTING))
        .map(
          (t) =>
            `${t.schema}.${t.table} (rls=${t.rls}, force=${t.force}, department_id=${t.hasDepartment}, policies=${t.policies.join('|') || 'none'})`,
        );
      expect(uncovered).toEqual([]);
    });

    it('grants the runtime role nothing on the migrations table and only DML elsewhere', async () => {
      const facts = await tableFacts(db);
      for (const t of facts) {
        if (EXEMPT_TABLES.has(t.table))
          expect({ table: t.table, privileges: t.runtimePrivileges }).toEqual({ table: t.table, privileges: [] });
        else
          expect(t.runtimePrivileges.filter((p) => !['SELECT', 'INSERT', 'UPDATE', 'DELETE'].includes(p))).toEqual([]);
      }
      // Append-only tables (e.g. the audit log): read and insert, never change or delete.
      for (const table of def.appendOnlyTables ?? []) {
        const t = facts.find((f) => f.table === table);
        expect({ table, privileges: t?.runtimePrivileges }).toEqual({ table, privileges: ['INSERT', 'SELECT'] });
      }
    });

    it('runs the service as a role that is neither owner nor superuser and has no BYPASSRLS', async () => {
      const facts = await currentRoleFacts(db.dataSource);
      expect(facts).toEqual({ role: runtimeRoleName(def.name), superuser: false, bypassRls: false, ownedTables: 0 });
    });
  });
});
