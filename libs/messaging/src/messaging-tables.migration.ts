import type { MigrationInterface, QueryRunner } from 'typeorm';

/** LISTEN/NOTIFY channel the outbox trigger signals and the relay listens on. */
export const OUTBOX_NOTIFY_CHANNEL = 'outbox';

/**
 * Creates `outbox` and `inbox` and the trigger that wakes the relay. Services list it in
 * their own migrations (never synchronize).
 */
export class MessagingTables1732700000000 implements MigrationInterface {
  name = 'MessagingTables1732700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        topic text NOT NULL,
        message_key text NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX outbox_seq_uq ON outbox (seq)`);
    // Partial index: the relay's scan and the backlog gauge only ever touch unpublished rows.
    await queryRunner.query(`CREATE INDEX outbox_unpublished_seq_idx ON outbox (seq) WHERE published_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        event_id text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${OUTBOX_NOTIFY_CHANNEL}', '');
        RETURN NULL;
      END
      $$`);
    // Per statement, not per row: one wake-up per insert statement is enough, and Postgres
    // folds identical notifications of one transaction into one anyway.
    await queryRunner.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS outbox_notify ON outbox`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS outbox_notify()`);
    await queryRunner.query(`DROP TABLE IF EXISTS inbox`);
    await queryRunner.query(`DROP TABLE IF EXISTS outbox`);
  }
}
