import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables where test handlers record their effects (no unique constraints: a re-applied effect shows). */
export class MessagingTestTables1732700000001 implements MigrationInterface {
  name = 'MessagingTestTables1732700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE test_effect (event_id text NOT NULL, subject text NOT NULL, n int NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
    await q.query(`CREATE TABLE test_counter (name text PRIMARY KEY, value int NOT NULL)`);
    await q.query(`INSERT INTO test_counter (name, value) VALUES ('handled', 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE test_counter`);
    await q.query(`DROP TABLE test_effect`);
  }
}
