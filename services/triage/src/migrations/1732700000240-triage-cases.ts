import { enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table this migration creates; each holds department data and is under row-level security. */
export const CASE_TENANT_TABLES = [
  'care_case',
  'case_incident',
  'case_contact',
  'case_status_change',
  'diversion_plan',
  'crisis_plan',
  'contact_preference',
  'person_move',
] as const;

/**
 * Care coordination: cases (one open case per person, joined by repeat contacts), their
 * outreach log and status history, diversion plans, crisis response plans (versioned),
 * contact preferences, and the record of what a person merge moved (so an unmerge moves
 * exactly that back). PHI (notes, plans, goals) is stored only as FieldCipher ciphertext.
 */
export class TriageCases1732700000240 implements MigrationInterface {
  name = 'TriageCases1732700000240';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE care_case (
        id text PRIMARY KEY,
        department_id text NOT NULL,
        person_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('open','in-contact','stabilized','connected-to-long-term-services','closed-no-contact','transferred')),
        source text NOT NULL CHECK (source IN ('triage','manual','re-entry')),
        risk_level text NOT NULL,
        needs text[] NOT NULL DEFAULT '{}',
        pathway text,
        assigned_to text,
        cadence text[] NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        opened_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_contact_at timestamptz,
        closed_at timestamptz,
        closed_by text,
        transferred_to_agency_id text,
        version integer NOT NULL DEFAULT 1,
        UNIQUE (department_id, id)
      )`);
    await q.query(`CREATE INDEX care_case_person ON care_case (department_id, person_id, status)`);
    await q.query(`CREATE INDEX care_case_listing ON care_case (department_id, opened_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE case_incident (
        department_id text NOT NULL,
        case_id text NOT NULL,
        incident_id text NOT NULL,
        decision_id text,
        joined_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, case_id, incident_id),
        FOREIGN KEY (department_id, case_id) REFERENCES care_case (department_id, id) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE UNIQUE INDEX case_incident_decision ON case_incident (department_id, decision_id) WHERE decision_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE case_contact (
        id text PRIMARY KEY,
        department_id text NOT NULL,
        case_id text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('attempted','made')),
        channel text NOT NULL,
        initiated_by text NOT NULL CHECK (initiated_by IN ('staff','person')),
        contacted_at timestamptz NOT NULL,
        contacted_by text NOT NULL,
        notes_ciphertext text,
        preference_flags text[] NOT NULL DEFAULT '{}',
        logged_at timestamptz NOT NULL DEFAULT now(),
        logged_by text NOT NULL,
        FOREIGN KEY (department_id, case_id) REFERENCES care_case (department_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX case_contact_case ON case_contact (department_id, case_id, contacted_at)`);
    await q.query(`
      CREATE TABLE case_status_change (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        department_id text NOT NULL,
        case_id text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        changed_by text NOT NULL,
        FOREIGN KEY (department_id, case_id) REFERENCES care_case (department_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX case_status_change_case ON case_status_change (department_id, case_id, id)`);
    await q.query(`
      CREATE TABLE diversion_plan (
        department_id text NOT NULL,
        case_id text NOT NULL,
        version integer NOT NULL,
        treatment_goals_ciphertext text NOT NULL,
        charge_recommendation_ciphertext text NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        written_by text NOT NULL,
        PRIMARY KEY (department_id, case_id, version),
        FOREIGN KEY (department_id, case_id) REFERENCES care_case (department_id, id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE crisis_plan (
        id text PRIMARY KEY,
        department_id text NOT NULL,
        person_id text NOT NULL,
        version integer NOT NULL,
        content_ciphertext text NOT NULL,
        review_date date NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        written_by text NOT NULL,
        retired_at timestamptz,
        UNIQUE (department_id, person_id, version)
      )`);
    await q.query(`
      CREATE TABLE contact_preference (
        department_id text NOT NULL,
        person_id text NOT NULL,
        do_not_contact boolean NOT NULL,
        allowed_channels text[],
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        PRIMARY KEY (department_id, person_id)
      )`);
    await q.query(`
      CREATE TABLE person_move (
        department_id text NOT NULL,
        merge_id text NOT NULL,
        record_type text NOT NULL CHECK (record_type IN ('case','person')),
        record_id text NOT NULL,
        from_person_id text NOT NULL,
        to_person_id text NOT NULL,
        moved_at timestamptz NOT NULL DEFAULT now(),
        undone_at timestamptz,
        PRIMARY KEY (department_id, merge_id, record_type, record_id)
      )`);
    for (const table of CASE_TENANT_TABLES) await enableTenantIsolation(q, table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...CASE_TENANT_TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
  }
}
