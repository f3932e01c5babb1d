import { enableSystemScope, enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** System scopes that may see every department's outbox rows (relay, ops retry, retention). */
export const OUTBOX_SYSTEM_SCOPES = ['outbox-relay', 'outbox-admin', 'messaging-retention'] as const;
/** System scopes that may see every department's inbox rows (retention only). */
export const INBOX_SYSTEM_SCOPES = ['messaging-retention'] as const;

/**
 * Outbox and inbox rows belong to a department (the event's departmentid) and sit under
 * row-level security like every department table: a request writes only its own
 * department's events, a handler claims only in the consumed event's department. The relay
 * and retention work across departments through their named system scope. Services list it
 * after MessagingOutboxStatus1764633600000.
 */
export class MessagingTenancy1764806400000 implements MigrationInterface {
  name = 'MessagingTenancy1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN department_id text`);
    await q.query(`UPDATE outbox SET department_id = payload->>'departmentid'`);
    await q.query(`ALTER TABLE outbox ALTER COLUMN department_id SET NOT NULL`);
    // Inbox rows written before this migration do not say whose event they recorded; they
    // only deduplicate redeliveries (the unique index sees them whatever the policy) until
    // retention removes them. '(none)' is no valid department id, so no tenant ever sees them.
    await q.query(`ALTER TABLE inbox ADD COLUMN department_id text`);
    await q.query(`UPDATE inbox SET department_id = '(none)'`);
    await q.query(`ALTER TABLE inbox ALTER COLUMN department_id SET NOT NULL`);
    for (const table of ['outbox', 'inbox']) await enableTenantIsolation(q, table);
    await enableSystemScope(q, 'outbox', OUTBOX_SYSTEM_SCOPES);
    await enableSystemScope(q, 'inbox', INBOX_SYSTEM_SCOPES);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'inbox']) {
      await q.query(`DROP POLICY IF EXISTS system_scope ON ${table}`);
      await q.query(`DROP POLICY IF EXISTS tenant_isolation ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN department_id`);
    }
  }
}
