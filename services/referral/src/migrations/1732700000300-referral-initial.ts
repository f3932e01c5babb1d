import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The partner directory, per department. */
export class ReferralInitial1732700000300 implements MigrationInterface {
  name = 'ReferralInitial1732700000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partner_agency (
        department_id text NOT NULL,
        id text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        name text NOT NULL,
        hsds jsonb NOT NULL,
        active boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE partner_agency');
  }
}
