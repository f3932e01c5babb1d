import { setTenant, TENANT_SETTING } from '@cit/persistence';
import type { EntityManager } from 'typeorm';

/**
 * Makes the transaction act for one department (the RLS setting, transaction-local). A
 * transaction already set to another department is refused: an audit entry must never move
 * its caller's tenant.
 */
export async function ensureTransactionTenant(manager: EntityManager, departmentId: string): Promise<void> {
  const [row] = (await manager.query(`SELECT current_setting($1, true) AS current`, [TENANT_SETTING])) as {
    current: string | null;
  }[];
  // '' once a transaction-local setting was used on the session before.
  const current = row?.current ?? '';
  if (current === departmentId) return;
  if (current !== '') throw new Error('audit: the transaction acts for another department');
  await setTenant(manager, departmentId);
}

/**
 * ensureTransactionTenant and the department's advisory lock `lock` (two int keys) in one
 * round trip, for appends on a hot path. The lock is taken before the tenant is checked: a
 * transaction acting for another department is refused all the same, and rolls back with
 * the lock.
 */
export async function lockForTransactionTenant(
  manager: EntityManager,
  departmentId: string,
  lock: readonly [number, string],
): Promise<void> {
  const [row] = (await manager.query(
    `SELECT current_setting($1, true) AS current, pg_advisory_xact_lock($2, hashtext($3))::text AS locked`,
    [TENANT_SETTING, lock[0], lock[1]],
  )) as { current: string | null }[];
  const current = row?.current ?? '';
  if (current === departmentId) return;
  if (current !== '') throw new Error('audit: the transaction acts for another department');
  await setTenant(manager, departmentId);
}
