import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox delivery status (pending, published, failed = set aside after repeated failures)
 * and the indexes the relay's held-key check and the retention deletes need. Services list
 * it after MessagingTables1732700000000.
 */
export class MessagingOutboxStatus1764633600000 implements MigrationInterface {
  name = 'MessagingOutboxStatus1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox
        ADD COLUMN status text NOT NULL DEFAULT 'pending'
          CONSTRAINT outbox_status_ck CHECK (status IN ('pending', 'published', 'failed')),
        ADD COLUMN failed_at timestamptz NULL`);
    await q.query(`UPDATE outbox SET status = 'published' WHERE published_at IS NOT NULL`);
    await q.query(`DROP INDEX IF EXISTS outbox_unpublished_seq_idx`);
    // The relay's scan and the backlog gauge touch pending rows only.
    await q.query(`CREATE INDEX outbox_pending_seq_idx ON outbox (seq) WHERE status = 'pending'`);
    // Held-key check: is there a set-aside row of this key?
    await q.query(`CREATE INDEX outbox_failed_key_idx ON outbox (message_key, seq) WHERE status = 'failed'`);
    // Retention: oldest published rows first.
    await q.query(`CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE status = 'published'`);
    await q.query(`CREATE INDEX inbox_processed_at_idx ON inbox (processed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS inbox_processed_at_idx`);
    await q.query(`DROP INDEX IF EXISTS outbox_published_at_idx`);
    await q.query(`DROP INDEX IF EXISTS outbox_failed_key_idx`);
    await q.query(`DROP INDEX IF EXISTS outbox_pending_seq_idx`);
    await q.query(`CREATE INDEX outbox_unpublished_seq_idx ON outbox (seq) WHERE published_at IS NULL`);
    await q.query(`ALTER TABLE outbox DROP COLUMN failed_at, DROP COLUMN status`);
  }
}
