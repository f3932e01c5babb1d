import { enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The triage queue under row-level security keyed on the transaction's tenant (app.department_id). */
export class TriageTenancy1732700000210 implements MigrationInterface {
  name = 'TriageTenancy1732700000210';

  async up(q: QueryRunner): Promise<void> {
    await enableTenantIsolation(q, 'triage_intake');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP POLICY IF EXISTS tenant_isolation ON triage_intake');
    await q.query('ALTER TABLE triage_intake NO FORCE ROW LEVEL SECURITY');
    await q.query('ALTER TABLE triage_intake DISABLE ROW LEVEL SECURITY');
  }
}
