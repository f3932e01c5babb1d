import type { QueryRunner } from 'typeorm';
import { TENANT_SETTING } from './tenant-transaction';

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
 * FORCE makes the policy bind the table owner too; without the setting current_setting
 * returns NULL (or '' once reset), which matches no row, so a forgotten tenant reads nothing.
 */
export async function enableTenantIsolation(q: QueryRunner, table: string): Promise<void> {
  const t = quoteTable(table);
  const predicate = `department_id = current_setting('${TENANT_SETTING}', true)`;
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
