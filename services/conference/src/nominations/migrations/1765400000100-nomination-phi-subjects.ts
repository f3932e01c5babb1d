import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake's subject ciphertexts are bound to their incident_subject row (issue 14): whoever keeps
 * one keeps the subject id with it, so it can be decrypted. NULL for values conference encrypted
 * itself (bound to the nomination row) and for enc:v1 values written before (unbound).
 */
export class NominationPhiSubjects1765400000100 implements MigrationInterface {
  name = 'NominationPhiSubjects1765400000100';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['conference_person', 'nomination']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN name_subject_id text, ADD COLUMN birth_date_subject_id text`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['conference_person', 'nomination']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN name_subject_id, DROP COLUMN birth_date_subject_id`);
    }
  }
}
