import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Incidents and their subjects; PHI columns hold field-encryption ciphertext only. */
export class IntakeInitial1732700000100 implements MigrationInterface {
  name = 'IntakeInitial1732700000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incident (
        id text PRIMARY KEY,
        department_id text NOT NULL,
        cad_call_number text,
        rms_incident_number text,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        call_type text NOT NULL,
        disposition text,
        encounter text NOT NULL CHECK (encounter IN ('criminal', 'non-criminal')),
        district text,
        location_address text,
        latitude double precision,
        longitude double precision,
        bh_related_to text NOT NULL CHECK (bh_related_to IN ('mental-health', 'narcotics', 'both', 'neither')),
        bh_observations text[] NOT NULL DEFAULT '{}',
        bh_suspected_using text[] NOT NULL DEFAULT '{}',
        narrative text,
        reporting_officer_id text NOT NULL,
        source text NOT NULL DEFAULT 'api',
        version integer NOT NULL DEFAULT 1,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX incident_cad_per_department ON incident (department_id, cad_call_number) WHERE cad_call_number IS NOT NULL`,
    );
    await q.query(`CREATE INDEX incident_department_occurred ON incident (department_id, occurred_at DESC, id)`);
    await q.query(`
      CREATE TABLE incident_subject (
        id text PRIMARY KEY,
        incident_id text NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
        department_id text NOT NULL,
        ordinal integer NOT NULL,
        name text NOT NULL,
        date_of_birth text,
        phone text,
        address text,
        language text,
        juvenile boolean NOT NULL DEFAULT false,
        senior boolean NOT NULL DEFAULT false,
        veteran boolean NOT NULL DEFAULT false,
        experiencing_homelessness boolean NOT NULL DEFAULT false,
        person_match_index text
      )`);
    await q.query(`CREATE INDEX incident_subject_incident ON incident_subject (incident_id, ordinal)`);
    await q.query(
      `CREATE INDEX incident_subject_match ON incident_subject (department_id, person_match_index) WHERE person_match_index IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE incident_subject');
    await q.query('DROP TABLE incident');
  }
}
