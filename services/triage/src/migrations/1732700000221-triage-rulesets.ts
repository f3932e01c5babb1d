import { enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Department rulesets (immutable versions, 1, 2, … per department) and the version in force. */
export class TriageRulesets1732700000221 implements MigrationInterface {
  name = 'TriageRulesets1732700000221';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rulesets (
        department_id text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        name text NOT NULL,
        document jsonb NOT NULL,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, version)
      )`);
    await q.query(`
      CREATE TABLE ruleset_active (
        department_id text PRIMARY KEY,
        version integer NOT NULL CHECK (version >= 0),
        activated_by text NOT NULL,
        activated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await enableTenantIsolation(q, 'rulesets');
    await enableTenantIsolation(q, 'ruleset_active');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ruleset_active');
    await q.query('DROP TABLE rulesets');
  }
}
