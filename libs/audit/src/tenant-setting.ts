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
