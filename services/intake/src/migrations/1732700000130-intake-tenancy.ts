import { enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Parent tables: (department_id, id) becomes a key children can reference. */
const PARENTS = ['incident', 'person', 'import_job'] as const;

/** [table, constraint, columns, parent, on delete] of every foreign key, rewritten to include the department. */
const FOREIGN_KEYS: readonly [string, string, string, string, string][] = [
  ['incident_subject', 'incident_subject_incident_id_fkey', 'incident_id', 'incident', 'ON DELETE CASCADE'],
  ['idempotency_key', 'idempotency_key_incident_id_fkey', 'incident_id', 'incident', 'ON DELETE CASCADE'],
  ['incident_supplement', 'incident_supplement_incident_id_fkey', 'incident_id', 'incident', 'ON DELETE CASCADE'],
  ['incident_change', 'incident_change_incident_id_fkey', 'incident_id', 'incident', 'ON DELETE CASCADE'],
  ['review_item', 'review_item_incident_id_fkey', 'incident_id', 'incident', 'ON DELETE CASCADE'],
  ['person', 'person_merged_into_fkey', 'merged_into', 'person', ''],
  ['incident_subject', 'incident_subject_person_id_fkey', 'person_id', 'person', ''],
  ['person_merge', 'person_merge_source_person_id_fkey', 'source_person_id', 'person', ''],
  ['person_merge', 'person_merge_target_person_id_fkey', 'target_person_id', 'person', ''],
  ['import_row_error', 'import_row_error_import_id_fkey', 'import_id', 'import_job', 'ON DELETE CASCADE'],
];

/** Every intake table holding department data (all of them but migrations). */
export const INTAKE_TENANT_TABLES = [
  'incident',
  'incident_subject',
  'incident_supplement',
  'incident_change',
  'idempotency_key',
  'screening_config',
  'review_item',
  'person',
  'person_merge',
  'import_job',
  'import_row_error',
] as const;

/**
 * Tenancy enforced by PostgreSQL: every foreign key includes the department, so a child can
 * never point at another department's row, and every table is under row-level security
 * keyed on the transaction's tenant (app.department_id), FORCE'd so the owner is bound too.
 */
export class IntakeTenancy1732700000130 implements MigrationInterface {
  name = 'IntakeTenancy1732700000130';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE import_row_error ADD COLUMN department_id text');
    await q.query(
      'UPDATE import_row_error e SET department_id = j.department_id FROM import_job j WHERE j.id = e.import_id',
    );
    await q.query('ALTER TABLE import_row_error ALTER COLUMN department_id SET NOT NULL');
    for (const parent of PARENTS) {
      await q.query(`ALTER TABLE ${parent} ADD CONSTRAINT ${parent}_department_id_uq UNIQUE (department_id, id)`);
    }
    for (const [table, constraint, column, parent, onDelete] of FOREIGN_KEYS) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${constraint}`);
      await q.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} FOREIGN KEY (department_id, ${column}) REFERENCES ${parent} (department_id, id) ${onDelete}`,
      );
    }
    for (const table of INTAKE_TENANT_TABLES) await enableTenantIsolation(q, table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of INTAKE_TENANT_TABLES) {
      await q.query(`DROP POLICY IF EXISTS tenant_isolation ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    for (const [table, constraint, column, parent, onDelete] of FOREIGN_KEYS) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${constraint}`);
      await q.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} FOREIGN KEY (${column}) REFERENCES ${parent} (id) ${onDelete}`,
      );
    }
    for (const parent of PARENTS) await q.query(`ALTER TABLE ${parent} DROP CONSTRAINT ${parent}_department_id_uq`);
    await q.query('ALTER TABLE import_row_error DROP COLUMN department_id');
  }
}
