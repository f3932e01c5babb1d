import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys, supplements, corrections and re-flag history, the behavioral-health
 * review queue and its per-department screening settings, persons with merge history,
 * and bulk imports. PHI columns hold field-encryption ciphertext only.
 */
export class IntakeCorrectionsReviewPersonsImports1732700000110 implements MigrationInterface {
  name = 'IntakeCorrectionsReviewPersonsImports1732700000110';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_key (
        department_id text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        incident_id text NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, key)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX incident_rms_per_department ON incident (department_id, rms_incident_number) WHERE rms_incident_number IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX incident_department_bh ON incident (department_id, bh_related_to, occurred_at DESC, id)`,
    );
    await q.query(
      `CREATE INDEX incident_department_district ON incident (department_id, district, occurred_at DESC, id)`,
    );

    await q.query(`
      CREATE TABLE incident_supplement (
        id text PRIMARY KEY,
        incident_id text NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
        department_id text NOT NULL,
        narrative text NOT NULL,
        added_by text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX incident_supplement_incident ON incident_supplement (incident_id, added_at)`);

    await q.query(`
      CREATE TABLE incident_change (
        id text PRIMARY KEY,
        incident_id text NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
        department_id text NOT NULL,
        version integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('correction', 'supplement', 'reclassification')),
        changed_fields text[] NOT NULL,
        reason_code text NOT NULL,
        reason_note text,
        previous_coding jsonb,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (incident_id, version)
      )`);

    await q.query(`
      CREATE TABLE screening_config (
        department_id text PRIMARY KEY,
        call_types text[] NOT NULL DEFAULT '{}',
        keywords text[] NOT NULL DEFAULT '{}',
        phrases text[] NOT NULL DEFAULT '{}',
        observations text[] NOT NULL DEFAULT '{}',
        version integer NOT NULL DEFAULT 1,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE review_item (
        id text PRIMARY KEY,
        incident_id text NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
        department_id text NOT NULL,
        reasons jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'dismissed', 'superseded')),
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_by text,
        decided_at timestamptz,
        decision_reason text
      )`);
    await q.query(`CREATE UNIQUE INDEX review_item_one_open ON review_item (incident_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX review_item_queue ON review_item (department_id, status, created_at, id)`);

    await q.query(`
      CREATE TABLE person (
        id text PRIMARY KEY,
        department_id text NOT NULL,
        merged_into text REFERENCES person (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE incident_subject ADD COLUMN person_id text REFERENCES person (id)`);
    await q.query(`ALTER TABLE incident_subject ADD COLUMN person_phone_index text`);
    await q.query(`CREATE INDEX incident_subject_person ON incident_subject (person_id)`);
    await q.query(
      `CREATE INDEX incident_subject_phone_match ON incident_subject (department_id, person_phone_index) WHERE person_phone_index IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE person_merge (
        id text PRIMARY KEY,
        department_id text NOT NULL,
        source_person_id text NOT NULL REFERENCES person (id),
        target_person_id text NOT NULL REFERENCES person (id),
        moved_subject_ids text[] NOT NULL,
        reason text NOT NULL,
        merged_by text NOT NULL,
        merged_at timestamptz NOT NULL DEFAULT now(),
        undone_by text,
        undone_at timestamptz,
        undo_reason text
      )`);

    await q.query(`
      CREATE TABLE import_job (
        id text PRIMARY KEY,
        department_id text NOT NULL,
        format text NOT NULL CHECK (format IN ('ndjson', 'csv')),
        emit_events boolean NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        rows_read integer NOT NULL DEFAULT 0,
        rows_imported integer NOT NULL DEFAULT 0,
        rows_duplicate integer NOT NULL DEFAULT 0,
        rows_rejected integer NOT NULL DEFAULT 0,
        failure text,
        created_by text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE import_row_error (
        import_id text NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
        line integer NOT NULL,
        field text,
        reason text NOT NULL,
        PRIMARY KEY (import_id, line, reason)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['import_row_error', 'import_job', 'person_merge']) await q.query(`DROP TABLE ${t}`);
    await q.query('ALTER TABLE incident_subject DROP COLUMN person_phone_index');
    await q.query('ALTER TABLE incident_subject DROP COLUMN person_id');
    for (const t of [
      'person',
      'review_item',
      'screening_config',
      'incident_change',
      'incident_supplement',
      'idempotency_key',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query('DROP INDEX incident_department_district');
    await q.query('DROP INDEX incident_department_bh');
    await q.query('DROP INDEX incident_rms_per_department');
  }
}
