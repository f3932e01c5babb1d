import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * triage_intake keyed by (department_id, incident_id). Keyed by the incident id alone, the
 * first event to name an id took it for every department: a forged or mistaken event of
 * another department arriving first made the real incident a "known" one, never decided.
 * Row-level security hides the other department's row, but a unique index sees it.
 */
export class TriageIntakeDepartmentKey1765300000250 implements MigrationInterface {
  name = 'TriageIntakeDepartmentKey1765300000250';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE triage_intake DROP CONSTRAINT triage_intake_pkey`);
    await q.query(
      `ALTER TABLE triage_intake ADD CONSTRAINT triage_intake_pkey PRIMARY KEY (department_id, incident_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Fails while two departments hold the same incident id, which the old key cannot express.
    await q.query(`ALTER TABLE triage_intake DROP CONSTRAINT triage_intake_pkey`);
    await q.query(`ALTER TABLE triage_intake ADD CONSTRAINT triage_intake_pkey PRIMARY KEY (incident_id)`);
  }
}
