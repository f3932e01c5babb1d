import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Incidents waiting for triage, as learned from cit.incident.reported.v1 (ids and codes only). */
export class TriageInitial1732700000200 implements MigrationInterface {
  name = 'TriageInitial1732700000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE triage_intake (
        incident_id text PRIMARY KEY,
        department_id text NOT NULL,
        source_event_id uuid NOT NULL,
        correlation_id text NOT NULL,
        call_type text NOT NULL,
        bh_related_to text NOT NULL,
        bh_observations text[] NOT NULL DEFAULT '{}',
        subject_count integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'awaiting-triage',
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX triage_intake_queue ON triage_intake (department_id, status, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE triage_intake');
  }
}
