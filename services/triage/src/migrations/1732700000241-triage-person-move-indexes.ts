import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Person aliases are followed on hot paths (every triaged incident asks whether its person has
 * a crisis plan; every case opening reads the contact preference): index the active alias rows
 * both ways, so the recursive lookups probe an index instead of scanning every move.
 */
export class TriagePersonMoveIndexes1732700000241 implements MigrationInterface {
  name = 'TriagePersonMoveIndexes1732700000241';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX person_move_alias_to ON person_move (department_id, to_person_id)
        WHERE record_type = 'person' AND undone_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX person_move_alias_from ON person_move (department_id, record_id)
        WHERE record_type = 'person' AND undone_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX crisis_plan_current ON crisis_plan (department_id, person_id) WHERE retired_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX crisis_plan_current');
    await q.query('DROP INDEX person_move_alias_from');
    await q.query('DROP INDEX person_move_alias_to');
  }
}
