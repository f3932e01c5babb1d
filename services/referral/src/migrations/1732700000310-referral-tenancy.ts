import { enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The partner directory under row-level security keyed on the transaction's tenant (app.department_id). */
export class ReferralTenancy1732700000310 implements MigrationInterface {
  name = 'ReferralTenancy1732700000310';

  async up(q: QueryRunner): Promise<void> {
    await enableTenantIsolation(q, 'partner_agency');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP POLICY IF EXISTS tenant_isolation ON partner_agency');
    await q.query('ALTER TABLE partner_agency NO FORCE ROW LEVEL SECURITY');
    await q.query('ALTER TABLE partner_agency DISABLE ROW LEVEL SECURITY');
  }
}
