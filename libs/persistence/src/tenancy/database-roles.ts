import { Client } from 'pg';
import type { DataSource } from 'typeorm';

// Role names are interpolated into DDL (CREATE ROLE / GRANT take no parameters), so they are
// restricted to a safe identifier alphabet rather than escaped.
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws unless the name is a lowercase PostgreSQL identifier safe to use in DDL. */
export function assertRoleName(name: string): void {
  if (!ROLE_NAME.test(name)) throw new Error(`invalid role name "${name}": expected ${ROLE_NAME.source}`);
}

/** The runtime role of a service: cit_<service> ("intake" → cit_intake). */
export function runtimeRoleName(serviceName: string): string {
  const name = `cit_${serviceName
    .replace(/-service$/, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase()}`;
  assertRoleName(name);
  return name;
}

/**
 * Creates the runtime role on the server of ownerUrl unless it exists: LOGIN, NOSUPERUSER,
 * NOBYPASSRLS, no password (trust locally; deployments create it with a password first,
 * infra/compose/postgres-init.sql). Safe when several processes race.
 */
export async function ensureRuntimeRole(ownerUrl: string, role: string): Promise<void> {
  assertRoleName(role);
  const client = new Client({ connectionString: ownerUrl, application_name: 'cit-ensure-role' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (found.rowCount) return;
    try {
      await client.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`);
    } catch (err) {
      // 42710 duplicate_object; 23505 when two CREATEs collide on pg_authid's unique index.
      const code = (err as { code?: string }).code;
      if (code !== '42710' && code !== '23505') throw err;
    }
  } finally {
    await client.end();
  }
}

/** How runMigrations grants the runtime role its access. */
export interface RuntimeGrants {
  /** The service's runtime role (never the owner). */
  role: string;
  /** Tables the runtime may only read and append to (UPDATE, DELETE, TRUNCATE revoked), e.g. an audit log. */
  appendOnlyTables?: readonly string[];
}

const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The one place runtime privileges come from, run by the owner after every migration run:
 * DML on every table and sequence of public, nothing on the migrations table, and no
 * UPDATE/DELETE/TRUNCATE on append-only tables. Re-running it is harmless, and a table a
 * new migration adds is covered the next time the service migrates.
 */
export async function grantRuntimeAccess(dataSource: DataSource, grants: RuntimeGrants): Promise<void> {
  const { role } = grants;
  assertRoleName(role);
  const database = (dataSource.options.database as string | undefined) ?? (await currentDatabase(dataSource));
  await dataSource.transaction(async (m) => {
    await m.query(`GRANT CONNECT ON DATABASE "${database.replace(/"/g, '""')}" TO "${role}"`);
    await m.query(`GRANT USAGE ON SCHEMA public TO "${role}"`);
    await m.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "${role}"`);
    await m.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "${role}"`);
    await m.query(`REVOKE ALL ON TABLE migrations FROM "${role}"`);
    for (const table of grants.appendOnlyTables ?? []) {
      if (!TABLE_NAME.test(table)) throw new Error(`invalid table name "${table}"`);
      await m.query(`REVOKE UPDATE, DELETE, TRUNCATE ON TABLE "${table}" FROM "${role}"`);
    }
  });
}

async function currentDatabase(dataSource: DataSource): Promise<string> {
  const [row] = await dataSource.query<{ db: string }[]>('SELECT current_database() AS db');
  return row.db;
}

/** What PostgreSQL says about the role a connection runs as. */
export interface RoleFacts {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
  /** Tables of the current database this role owns (or is a member of the owner of). */
  ownedTables: number;
}

/** Reads the current role's attributes and table ownership. */
export async function currentRoleFacts(dataSource: DataSource): Promise<RoleFacts> {
  const [row] = await dataSource.query<{ role: string; superuser: boolean; bypass: boolean; owned: number }[]>(`
    SELECT r.rolname AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass,
           (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND pg_has_role(current_user, c.relowner, 'USAGE')) AS owned
      FROM pg_roles r WHERE r.rolname = current_user`);
  return { role: row.role, superuser: row.superuser, bypassRls: row.bypass, ownedTables: row.owned };
}

/**
 * Refuses a runtime connection that row-level security would not bind: a superuser, a
 * BYPASSRLS role, or the owner of the service's tables (FORCE binds owners too, but an owner
 * can ALTER TABLE ... NO FORCE). The message names the role, never a credential.
 */
export async function assertRuntimeRole(dataSource: DataSource): Promise<RoleFacts> {
  const facts = await currentRoleFacts(dataSource);
  const problems = [
    facts.superuser && 'is a superuser',
    facts.bypassRls && 'has BYPASSRLS',
    facts.ownedTables > 0 && `owns ${facts.ownedTables} table(s)`,
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new Error(
      `database role "${facts.role}" ${problems.join(', ')}; services must connect as their non-owner runtime role`,
    );
  }
  return facts;
}
