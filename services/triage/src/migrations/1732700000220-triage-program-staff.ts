import { enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Department program settings and staff members (roles, unit or sector, CJIS clearance), under row-level security. */
export class TriageProgramStaff1732700000220 implements MigrationInterface {
  name = 'TriageProgramStaff1732700000220';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE program_settings (
        department_id text PRIMARY KEY,
        settings jsonb NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE staff_members (
        department_id text NOT NULL,
        id text NOT NULL,
        subject text NOT NULL,
        display_name text NOT NULL,
        roles text[] NOT NULL,
        unit text,
        sector text,
        cjis_cleared boolean NOT NULL DEFAULT false,
        cjis_expires_on date,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, id),
        UNIQUE (department_id, subject)
      )`);
    await enableTenantIsolation(q, 'program_settings');
    await enableTenantIsolation(q, 'staff_members');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE staff_members');
    await q.query('DROP TABLE program_settings');
  }
}
