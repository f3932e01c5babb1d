import type { DataSource, EntityManager } from 'typeorm';

/**
 * The transaction-local setting the row-level-security policies read. Set only with
 * set_config(..., true) (SET LOCAL): it dies with the transaction, so a pooled connection
 * never carries one request's department into the next.
 */
export const TENANT_SETTING = 'app.department_id';

// Department ids are uuids (or the dev issuer's slugs); refusing anything else here keeps a
// malformed principal or event from ever reaching set_config.
const DEPARTMENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** Throws unless departmentId is a non-empty tenant id usable as the RLS setting. */
export function assertDepartmentId(departmentId: unknown): asserts departmentId is string {
  if (typeof departmentId !== 'string' || !DEPARTMENT_ID.test(departmentId)) {
    throw new TenantError('missing or malformed department id');
  }
}

/** Refusal to run a statement without a valid tenant. Carries no value. */
export class TenantError extends Error {
  override readonly name = 'TenantError';
}

/** Sets the tenant of a transaction already open on manager (same transaction-local setting). */
export async function setTenant(manager: EntityManager, departmentId: string): Promise<void> {
  assertDepartmentId(departmentId);
  if (!manager.queryRunner?.isTransactionActive) {
    // Outside a transaction set_config(..., true) would vanish with the implicit one.
    throw new TenantError('setTenant needs an open transaction');
  }
  await manager.query('SELECT set_config($1, $2, true)', [TENANT_SETTING, departmentId]);
}

/** Runs fn in one transaction whose row-level-security tenant is departmentId (set_config(TENANT_SETTING, id, true)). */
export function tenantTransaction<T>(
  dataSource: DataSource,
  departmentId: string,
  fn: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  assertDepartmentId(departmentId);
  return dataSource.transaction(async (manager) => {
    await setTenant(manager, departmentId);
    return fn(manager);
  });
}

/** Setting naming a cross-tenant system job (policies added by enableSystemScope accept it). */
export const SYSTEM_SCOPE_SETTING = 'app.system_scope';

/** Runs fn in one transaction marked as the system job scope (transaction-local), seeing every department's rows of tables that accept it. */
export function systemScopeTransaction<T>(
  dataSource: DataSource,
  scope: string,
  fn: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT set_config($1, $2, true)', [SYSTEM_SCOPE_SETTING, scope]);
    return fn(manager);
  });
}
