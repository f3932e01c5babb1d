import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Imports record whether their incidents were screened, and running imports are counted per department (concurrency cap). */
export class IntakeImportScreening1732700000120 implements MigrationInterface {
  name = 'IntakeImportScreening1732700000120';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE import_job ADD COLUMN screen boolean NOT NULL DEFAULT false');
    await q.query(
      `CREATE INDEX import_job_running_per_department ON import_job (department_id) WHERE status = 'running'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX import_job_running_per_department');
    await q.query('ALTER TABLE import_job DROP COLUMN screen');
  }
}
