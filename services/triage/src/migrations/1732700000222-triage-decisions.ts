import { enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Triage decisions (ruleset version, every rule fired, supersede links), what triage keeps of
 * each incident to re-run it (codes and the primary subject's flags, never PHI; whether the
 * person has a crisis plan), and the per-person repeat-contact window (bounded: the last N
 * incident times, N the department's rule).
 */
export class TriageDecisions1732700000222 implements MigrationInterface {
  name = 'TriageDecisions1732700000222';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE triage_intake
        ADD COLUMN person_id text,
        ADD COLUMN disposition text,
        ADD COLUMN district text,
        ADD COLUMN encounter text NOT NULL DEFAULT 'non-criminal',
        ADD COLUMN source text NOT NULL DEFAULT 'api',
        ADD COLUMN bh_suspected_using text[] NOT NULL DEFAULT '{N}',
        ADD COLUMN subject_flags text[] NOT NULL DEFAULT '{}',
        ADD COLUMN has_subject boolean NOT NULL DEFAULT false,
        ADD COLUMN language text,
        ADD COLUMN has_crisis_plan boolean NOT NULL DEFAULT false,
        ADD COLUMN repeat_rule_met boolean NOT NULL DEFAULT false,
        ADD COLUMN coding_version integer NOT NULL DEFAULT 1`);
    await q.query(
      `CREATE INDEX triage_intake_person ON triage_intake (department_id, person_id) WHERE person_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE triage_decision (
        department_id text NOT NULL,
        id text NOT NULL,
        incident_id text NOT NULL,
        person_id text,
        ruleset_version integer NOT NULL CHECK (ruleset_version >= 0),
        input_digest text NOT NULL,
        risk_level text NOT NULL,
        needs text[] NOT NULL,
        pathways text[] NOT NULL,
        sector text,
        unit text,
        assignee_id text,
        age_range text NOT NULL,
        language text,
        area text,
        imminent_164512j boolean NOT NULL,
        consultation_reasons text[] NOT NULL DEFAULT '{}',
        consulted_by text,
        consulted_at timestamptz,
        crisis_plan_on_file boolean NOT NULL,
        fired jsonb NOT NULL,
        decided_by text NOT NULL CHECK (decided_by IN ('rules', 'supervisor')),
        decider_id text,
        status text NOT NULL CHECK (status IN ('pending-review', 'final', 'superseded')),
        review_reason text,
        supersedes_id text,
        supersede_reason text,
        superseded_by_id text,
        reason_ciphertext text,
        case_id text,
        correlation_id text NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        emitted_at timestamptz,
        PRIMARY KEY (department_id, id),
        FOREIGN KEY (department_id, supersedes_id) REFERENCES triage_decision (department_id, id)
      )`);
    // One current decision per incident; the superseded ones stay as its history.
    await q.query(
      `CREATE UNIQUE INDEX triage_decision_current ON triage_decision (department_id, incident_id) WHERE superseded_by_id IS NULL`,
    );
    await q.query(
      `CREATE INDEX triage_decision_review ON triage_decision (department_id, decided_at, id) WHERE status = 'pending-review'`,
    );
    await q.query(`CREATE INDEX triage_decision_incident ON triage_decision (department_id, incident_id, decided_at)`);
    await q.query(`
      CREATE TABLE repeat_contact_window (
        department_id text NOT NULL,
        person_id text NOT NULL,
        recent_at timestamptz[] NOT NULL,
        recent_incident_ids text[] NOT NULL,
        nominated_until timestamptz,
        nominations integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, person_id)
      )`);
    await enableTenantIsolation(q, 'triage_decision');
    await enableTenantIsolation(q, 'repeat_contact_window');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE repeat_contact_window');
    await q.query('DROP TABLE triage_decision');
    await q.query('DROP INDEX triage_intake_person');
    await q.query(`
      ALTER TABLE triage_intake DROP COLUMN person_id, DROP COLUMN disposition, DROP COLUMN district,
        DROP COLUMN encounter, DROP COLUMN source, DROP COLUMN bh_suspected_using, DROP COLUMN subject_flags,
        DROP COLUMN has_subject, DROP COLUMN language, DROP COLUMN has_crisis_plan, DROP COLUMN repeat_rule_met,
        DROP COLUMN coding_version`);
  }
}
