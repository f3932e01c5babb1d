import type { EntityManager, QueryRunner } from 'typeorm';
import { enableSystemScope, enableTenantIsolation } from './tenant-isolation.migration';
import { TENANT_SETTING, TenantError, assertDepartmentId, setTenant } from './tenant-transaction';

describe('tenant setting', () => {
  it('accepts plain department ids and refuses missing, empty, malformed or non-text ones', () => {
    for (const ok of ['dept-a', 'demo', 'a1b2c3d4-0000-4000-8000-000000000000', 'org:dept.7'])
      expect(() => assertDepartmentId(ok)).not.toThrow();
    for (const bad of [undefined, null, '', ' dept', "dept-a' OR true --", 'a b', 'x'.repeat(129), 42, {}]) {
      expect(() => assertDepartmentId(bad)).toThrow(TenantError);
    }
  });

  it('sets the tenant transaction-locally, and only inside a transaction', async () => {
    const calls: unknown[][] = [];
    const manager = (active: boolean) =>
      ({
        queryRunner: { isTransactionActive: active },
        query: async (...args: unknown[]) => void calls.push(args),
      }) as unknown as EntityManager;
    await setTenant(manager(true), 'dept-a');
    expect(calls).toEqual([['SELECT set_config($1, $2, true)', [TENANT_SETTING, 'dept-a']]]);
    await expect(setTenant(manager(false), 'dept-a')).rejects.toThrow(/open transaction/);
    await expect(setTenant(manager(true), '')).rejects.toThrow(TenantError);
    expect(calls).toHaveLength(1);
  });
});

describe('policy migrations', () => {
  const runner = () => {
    const sql: string[] = [];
    return { sql, q: { query: async (s: string) => void sql.push(s) } as unknown as QueryRunner };
  };

  it('enables and forces row-level security with one tenant policy that no unset or reset setting matches', async () => {
    const { sql, q } = runner();
    await enableTenantIsolation(q, 'incident');
    expect(sql).toContain('ALTER TABLE "incident" ENABLE ROW LEVEL SECURITY');
    expect(sql).toContain('ALTER TABLE "incident" FORCE ROW LEVEL SECURITY');
    expect(sql.at(-1)).toBe(
      `CREATE POLICY tenant_isolation ON "incident" USING (department_id = NULLIF(current_setting('app.department_id', true), '')) WITH CHECK (department_id = NULLIF(current_setting('app.department_id', true), ''))`,
    );
  });

  it('refuses identifiers and scopes it cannot safely put into DDL', async () => {
    const { q } = runner();
    await expect(enableTenantIsolation(q, 'incident; drop table x')).rejects.toThrow(/invalid table/);
    await expect(enableSystemScope(q, 'outbox', ["x') OR (true"])).rejects.toThrow(/invalid system scopes/);
    await expect(enableSystemScope(q, 'outbox', [])).rejects.toThrow(/invalid system scopes/);
  });
});
