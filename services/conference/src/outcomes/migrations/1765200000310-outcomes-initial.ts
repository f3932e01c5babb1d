import { enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outcomes of discussed cases (one per session and case), their action items (description
 * encrypted: it may name the person), session attendance for every series kind, and the
 * cross-training record kept on the attendance rows of cross-training sessions.
 */
export class OutcomesInitial1765200000310 implements MigrationInterface {
  name = 'OutcomesInitial1765200000310';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conference_outcome (
        department_id text NOT NULL,
        id text NOT NULL,
        session_id text NOT NULL,
        nomination_id text NOT NULL,
        case_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('connected-to-services', 'risk-mitigated', 'refused', 'carry-over')),
        lead_agency_id text NOT NULL,
        assisting_agency_ids text[] NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now(),
        recorded_by text NOT NULL,
        PRIMARY KEY (department_id, id),
        UNIQUE (department_id, session_id, nomination_id)
      )`);
    await q.query(
      `CREATE INDEX conference_outcome_nomination ON conference_outcome (department_id, nomination_id, recorded_at)`,
    );
    await enableTenantIsolation(q, 'conference_outcome');

    await q.query(`
      CREATE TABLE action_item (
        department_id text NOT NULL,
        id text NOT NULL,
        outcome_id text NOT NULL,
        session_id text NOT NULL,
        nomination_id text NOT NULL,
        owner_agency_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('contact-person', 'home-visit', 'service-connection', 'report-back', 'other')),
        description_ciphertext text NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed')),
        completed_at timestamptz,
        completed_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, id),
        FOREIGN KEY (department_id, outcome_id) REFERENCES conference_outcome (department_id, id)
      )`);
    await q.query(`CREATE INDEX action_item_outcome ON action_item (department_id, outcome_id)`);
    await enableTenantIsolation(q, 'action_item');

    await q.query(`
      CREATE TABLE session_attendance (
        department_id text NOT NULL,
        session_id text NOT NULL,
        attendee_kind text NOT NULL CHECK (attendee_kind IN ('agency-representative', 'officer', 'provider-staff')),
        attendee_id text NOT NULL,
        attendee_name text,
        agency_id text,
        present boolean NOT NULL,
        training_completed boolean,
        training_hours numeric(5, 2),
        session_starts_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        PRIMARY KEY (department_id, session_id, attendee_kind, attendee_id)
      )`);
    // The roster: latest completed training per person of a kind.
    await q.query(
      `CREATE INDEX session_attendance_trained ON session_attendance (department_id, attendee_kind, attendee_id, session_starts_at DESC)
        WHERE training_completed`,
    );
    await enableTenantIsolation(q, 'session_attendance');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS session_attendance');
    await q.query('DROP TABLE IF EXISTS action_item');
    await q.query('DROP TABLE IF EXISTS conference_outcome');
  }
}
