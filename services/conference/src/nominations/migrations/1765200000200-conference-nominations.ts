import { enableSystemScope, enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table this migration creates; each holds department data and is under row-level security. */
export const NOMINATION_TENANT_TABLES = [
  'conference_person',
  'nomination',
  'nomination_person_move',
  'identity_disclosure',
  'privacy_step',
] as const;

/** System scope of the retention sweep: it drops, across departments, persons never nominated. */
export const PERSON_RETENTION_SCOPE = 'conference-person-retention';

/**
 * Nominations (partner, family, triage, staff), the identity projection triage's automatic
 * nominations draw on, and the four-filter record: each privacy step and each identity disclosure.
 * Identity, reason text and call-back contact are FieldCipher ciphertext; the plain columns are
 * what the de-identified presentation shows (age range, gender, risk codes, reason code) and the
 * counts a redacted record keeps for statistics.
 */
export class ConferenceNominations1765200000200 implements MigrationInterface {
  name = 'ConferenceNominations1765200000200';

  async up(q: QueryRunner): Promise<void> {
    // Latest identity intake sent per person (still intake's ciphertexts) and its last coding.
    // A merged person's row stays, pointing at the survivor, so an unmerge restores it as it was.
    await q.query(`
      CREATE TABLE conference_person (
        department_id text NOT NULL,
        person_id text NOT NULL,
        name_ciphertext text,
        birth_date_ciphertext text,
        last_incident_id text NOT NULL,
        last_incident_at timestamptz NOT NULL,
        bh_related_to text,
        bh_observations text[] NOT NULL DEFAULT '{}',
        bh_suspected_using text[] NOT NULL DEFAULT '{}',
        merged_into text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, person_id)
      )`);
    await q.query(
      `CREATE INDEX conference_person_merged ON conference_person (department_id, merged_into) WHERE merged_into IS NOT NULL`,
    );
    await q.query(`CREATE INDEX conference_person_retention ON conference_person (last_incident_at)`);

    await q.query(`
      CREATE TABLE nomination (
        department_id text NOT NULL,
        id text NOT NULL,
        person_key text NOT NULL,
        person_id text,
        triage_case_id text,
        nomination_request_id text,
        source text NOT NULL CHECK (source IN ('partner','family','triage','staff')),
        source_agency_id text,
        submitted_by text,
        series_kind text CHECK (series_kind IN ('hub','ccit','clear','stakeholder','cross-training','custom')),
        status text NOT NULL CHECK (status IN ('pending-verification','open','closed','rejected','withdrawn')),
        privacy_stage text NOT NULL DEFAULT 'de-identified'
          CHECK (privacy_stage IN ('de-identified','redacted','limited-identity','planning')),
        risk_level text NOT NULL CHECK (risk_level IN ('none','routine','urgent','imminent')),
        risk_factors text[] NOT NULL DEFAULT '{}',
        risk_factor_count integer NOT NULL DEFAULT 0,
        age_range text,
        gender text NOT NULL DEFAULT 'not-recorded',
        reason_code text NOT NULL,
        relationship text,
        name_ciphertext text,
        birth_date_ciphertext text,
        reason_text_ciphertext text,
        contact_ciphertext text,
        linked_nomination_id text,
        agencies_mobilized_count integer NOT NULL DEFAULT 0,
        services_mobilized_count integer NOT NULL DEFAULT 0,
        rejection_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        verified_at timestamptz,
        verified_by text,
        closed_at timestamptz,
        closed_status text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        PRIMARY KEY (department_id, id)
      )`);
    // One open nomination per person: the guarantee lives in the database, not in a read-then-write.
    await q.query(
      `CREATE UNIQUE INDEX nomination_one_open_per_person ON nomination (department_id, person_key) WHERE status = 'open'`,
    );
    // Triage's request id repeats on redelivery (and on a re-sent event with a new id).
    await q.query(
      `CREATE UNIQUE INDEX nomination_request ON nomination (department_id, nomination_request_id) WHERE nomination_request_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX nomination_person ON nomination (department_id, person_key, status)`);
    await q.query(`CREATE INDEX nomination_listing ON nomination (department_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX nomination_open ON nomination (department_id, risk_level, created_at) WHERE status = 'open'`,
    );

    // What a person merge moved, so an unmerge moves exactly that back.
    await q.query(`
      CREATE TABLE nomination_person_move (
        department_id text NOT NULL,
        merge_id text NOT NULL,
        nomination_id text NOT NULL,
        from_person_key text NOT NULL,
        to_person_key text NOT NULL,
        from_status text NOT NULL,
        to_status text NOT NULL,
        moved_at timestamptz NOT NULL DEFAULT now(),
        undone_at timestamptz,
        PRIMARY KEY (department_id, merge_id, nomination_id)
      )`);

    await q.query(`
      CREATE TABLE identity_disclosure (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        department_id text NOT NULL,
        nomination_id text NOT NULL,
        agency_id text NOT NULL,
        session_id text NOT NULL,
        role text NOT NULL CHECK (role IN ('selected','lead','assisting')),
        fields text[] NOT NULL,
        disclosed_at timestamptz NOT NULL DEFAULT now(),
        disclosed_by text NOT NULL,
        UNIQUE (department_id, nomination_id, agency_id, role),
        FOREIGN KEY (department_id, nomination_id) REFERENCES nomination (department_id, id)
      )`);
    await q.query(`CREATE INDEX identity_disclosure_agency ON identity_disclosure (department_id, agency_id)`);

    await q.query(`
      CREATE TABLE privacy_step (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        department_id text NOT NULL,
        nomination_id text NOT NULL,
        filter smallint NOT NULL CHECK (filter BETWEEN 1 AND 4),
        action text NOT NULL CHECK (action IN ('presented','redacted','limited-identity','lead-assigned','assisting-assigned')),
        session_id text,
        agency_ids text[] NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now(),
        recorded_by text NOT NULL,
        FOREIGN KEY (department_id, nomination_id) REFERENCES nomination (department_id, id)
      )`);
    await q.query(`CREATE INDEX privacy_step_nomination ON privacy_step (department_id, nomination_id, id)`);

    for (const table of NOMINATION_TENANT_TABLES) await enableTenantIsolation(q, table);
    for (const table of ['conference_person', 'nomination']) {
      await enableSystemScope(q, table, [PERSON_RETENTION_SCOPE]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...NOMINATION_TENANT_TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
  }
}
