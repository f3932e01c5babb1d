import type { QueryRunner } from 'typeorm';
import { SYSTEM_SCOPE_SETTING, TENANT_SETTING } from './tenant-transaction';

/** Name of the per-department policy every department table carries. */
export const TENANT_POLICY = 'tenant_isolation';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function quoteTable(table: string): string {
  const parts = table.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) throw new Error(`invalid table name "${table}"`);
  return parts.map((p) => `"${p}"`).join('.');
}

/**
 * Migration helper: ENABLE + FORCE ROW LEVEL SECURITY and the tenant_isolation policy (USING and WITH CHECK department_id = current_setting(TENANT_SETTING, true)).
 * FORCE makes the policy bind the table owner too; without the setting the predicate is
 * NULL, which matches no row, so a forgotten tenant reads nothing and writes nothing.
 */
export async function enableTenantIsolation(q: QueryRunner, table: string): Promise<void> {
  const t = quoteTable(table);
  // NULLIF: once a transaction-local setting has been used on a session, PostgreSQL reports it
  // as '' (not NULL) afterwards; no row may match "no tenant".
  const predicate = `department_id = NULLIF(current_setting('${TENANT_SETTING}', true), '')`;
  await q.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
  await q.query(`DROP POLICY IF EXISTS ${TENANT_POLICY} ON ${t}`);
  await q.query(`CREATE POLICY ${TENANT_POLICY} ON ${t} USING (${predicate}) WITH CHECK (${predicate})`);
}

/** Down-migration counterpart of enableTenantIsolation. */
export async function disableTenantIsolation(q: QueryRunner, table: string): Promise<void> {
  const t = quoteTable(table);
  await q.query(`DROP POLICY IF EXISTS ${TENANT_POLICY} ON ${t}`);
  await q.query(`ALTER TABLE ${t} NO FORCE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${t} DISABLE ROW LEVEL SECURITY`);
}

/** Name of the cross-tenant policy enableSystemScope adds. */
export const SYSTEM_SCOPE_POLICY = 'system_scope';

const SCOPE = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * Migration helper: a second, permissive policy letting named system jobs (the outbox relay,
 * retention) see every department's rows of a table already under enableTenantIsolation,
 * when they set SYSTEM_SCOPE_SETTING to one of scopes. It defends against a missing filter
 * in application code, not against a hostile process holding the service's credentials
 * (which could set the same setting).
 */
export async function enableSystemScope(q: QueryRunner, table: string, scopes: readonly string[]): Promise<void> {
  const t = quoteTable(table);
  if (scopes.length === 0 || !scopes.every((s) => SCOPE.test(s))) throw new Error('invalid system scopes');
  const predicate = `current_setting('${SYSTEM_SCOPE_SETTING}', true) IN (${scopes.map((s) => `'${s}'`).join(', ')})`;
  await q.query(`DROP POLICY IF EXISTS ${SYSTEM_SCOPE_POLICY} ON ${t}`);
  await q.query(`CREATE POLICY ${SYSTEM_SCOPE_POLICY} ON ${t} USING (${predicate}) WITH CHECK (${predicate})`);
}
