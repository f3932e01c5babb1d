import { disableTenantIsolation, enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables the backfill reads and writes as the owner; FORCE'd row-level security would hide every row without a tenant. */
const BACKFILLED = ['incident_subject', 'person', 'person_merge'] as const;

/**
 * person_identifier: (department, index kind, blind index) → the person it identifies, so
 * matching a report is one primary-key probe per identifier instead of a scan of every
 * earlier subject row of the person. Merge-aware: a merge re-points the merged person's
 * identifiers to the survivor and records them on person_merge (moved_identifiers), an undo
 * puts exactly those back.
 *
 * Filled from incident_subject as the old matcher decided (min(person_id) per index, then
 * followed through merges); merges made before this migration get moved_identifiers from
 * the indexes of the subjects they moved.
 */
export class IntakePersonIdentifier1732700000140 implements MigrationInterface {
  name = 'IntakePersonIdentifier1732700000140';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person_identifier (
        department_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('dob', 'phone')),
        match_index text NOT NULL,
        person_id text NOT NULL,
        PRIMARY KEY (department_id, kind, match_index),
        CONSTRAINT person_identifier_person_fkey FOREIGN KEY (department_id, person_id) REFERENCES person (department_id, id)
      )`);
    // A merge re-points a person's identifiers: found by person, not by index.
    await q.query(`CREATE INDEX person_identifier_person ON person_identifier (department_id, person_id)`);
    await q.query(`ALTER TABLE person_merge ADD COLUMN moved_identifiers jsonb NOT NULL DEFAULT '[]'::jsonb`);

    // The owner is bound by FORCE'd RLS too; lifted for the backfill only, inside this transaction.
    for (const t of BACKFILLED) await q.query(`ALTER TABLE ${t} NO FORCE ROW LEVEL SECURITY`);
    await q.query(`
      INSERT INTO person_identifier (department_id, kind, match_index, person_id)
      SELECT department_id, kind, idx, min(person_id)
        FROM (SELECT department_id, 'dob' AS kind, person_match_index AS idx, person_id FROM incident_subject
               WHERE person_match_index IS NOT NULL AND person_id IS NOT NULL
              UNION ALL
              SELECT department_id, 'phone', person_phone_index, person_id FROM incident_subject
               WHERE person_phone_index IS NOT NULL AND person_id IS NOT NULL) s
       GROUP BY department_id, kind, idx`);
    // Follow merges to the surviving person (bounded: a chain longer than this is a cycle).
    for (let hop = 0; hop < 64; hop++) {
      const [, moved] = (await q.query(
        `UPDATE person_identifier i SET person_id = p.merged_into
           FROM person p
          WHERE p.department_id = i.department_id AND p.id = i.person_id AND p.merged_into IS NOT NULL`,
      )) as [unknown, number];
      if (!moved) break;
    }
    await q.query(`
      UPDATE person_merge m SET moved_identifiers = coalesce((
        SELECT jsonb_agg(jsonb_build_object('kind', x.kind, 'index', x.idx) ORDER BY x.kind, x.idx)
          FROM (SELECT 'dob' AS kind, s.person_match_index AS idx FROM incident_subject s
                 WHERE s.department_id = m.department_id AND s.id = ANY(m.moved_subject_ids) AND s.person_match_index IS NOT NULL
                UNION
                SELECT 'phone', s.person_phone_index FROM incident_subject s
                 WHERE s.department_id = m.department_id AND s.id = ANY(m.moved_subject_ids) AND s.person_phone_index IS NOT NULL) x
      ), '[]'::jsonb)
       WHERE m.undone_at IS NULL`);
    for (const t of BACKFILLED) await q.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
    await enableTenantIsolation(q, 'person_identifier');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE person_merge DROP COLUMN moved_identifiers');
    await disableTenantIsolation(q, 'person_identifier');
    await q.query('DROP TABLE person_identifier');
  }
}
