import { enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * audit_log: the append-only, hash-chained PHI access log of one service database. Listed by
 * every service that audits, with 'audit_log' in its definition's appendOnlyTables (the
 * runtime role gets INSERT and SELECT only); the trigger refuses UPDATE, DELETE and TRUNCATE
 * even to the owner, who must disable it first, which verification then exposes.
 */
export class AuditLogTables1764979200000 implements MigrationInterface {
  name = 'AuditLogTables1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY,
        department_id text NOT NULL,
        seq bigint NOT NULL CHECK (seq > 0),
        occurred_at timestamptz NOT NULL,
        actor_subject text NOT NULL,
        actor_kind text NOT NULL,
        actor_roles text[] NOT NULL,
        actor_agency_id text,
        purpose text NOT NULL,
        action text NOT NULL,
        record_type text NOT NULL,
        record_id text NOT NULL,
        person_ids text[] NOT NULL DEFAULT '{}',
        fields text[] NOT NULL DEFAULT '{}',
        outcome text NOT NULL,
        request_id text,
        correlation_id text,
        client_address text,
        reason_ciphertext text,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        -- One successor per entry: a second writer racing past the chain lock fails here
        -- instead of forking the chain.
        CONSTRAINT audit_log_department_seq UNIQUE (department_id, seq)
      )`);
    await q.query(`CREATE INDEX audit_log_department_time ON audit_log (department_id, occurred_at)`);
    await q.query(`CREATE INDEX audit_log_subject ON audit_log (department_id, actor_subject, seq)`);
    await q.query(`CREATE INDEX audit_log_persons ON audit_log USING gin (person_ids)`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
    );
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);
    await enableTenantIsolation(q, 'audit_log');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
