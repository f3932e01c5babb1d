import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Action items can end cancelled: the open items of a withdrawn nomination are nobody's work
 * any more, and followup must stop reminding their owners (cit.conference.action-item-closed.v1).
 */
export class ActionItemCancelled1765200000315 implements MigrationInterface {
  name = 'ActionItemCancelled1765200000315';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE action_item DROP CONSTRAINT action_item_status_check`);
    await q.query(
      `ALTER TABLE action_item ADD CONSTRAINT action_item_status_check
         CHECK (status IN ('open', 'completed', 'cancelled'))`,
    );
    await q.query(`ALTER TABLE action_item ADD COLUMN cancelled_at timestamptz`);
    // Withdrawing a nomination looks up its open items.
    await q.query(
      `CREATE INDEX action_item_open_nomination ON action_item (department_id, nomination_id) WHERE status = 'open'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS action_item_open_nomination`);
    await q.query(`ALTER TABLE action_item DROP CONSTRAINT action_item_status_check`);
    // The old schema has no cancelled state: a cancelled item reads as open again.
    await q.query(`UPDATE action_item SET status = 'open' WHERE status = 'cancelled'`);
    await q.query(`ALTER TABLE action_item DROP COLUMN cancelled_at`);
    await q.query(
      `ALTER TABLE action_item ADD CONSTRAINT action_item_status_check CHECK (status IN ('open', 'completed'))`,
    );
  }
}
