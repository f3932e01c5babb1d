import { enableSystemScope, enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** System scopes of followup's cross-department jobs (the reconciler re-enqueues what Redis lost). */
export const FOLLOWUP_SYSTEM_SCOPES = {
  reconciler: 'followup-reconciler',
  ops: 'followup-ops',
} as const;

/**
 * Reminders (PostgreSQL is the source of truth; BullMQ jobs are derived), what the service
 * learned from other services' events (cases, referrals, sessions), department follow-up
 * settings, notification endpoints, notifications with their delivery attempts, and the
 * record of dead-letter replays. Ids and codes only: no PHI is stored here.
 */
export class FollowupInitial1765100000500 implements MigrationInterface {
  name = 'FollowupInitial1765100000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reminder (
        id text PRIMARY KEY,
        department_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('case-contact', 'referral-sla', 'action-item', 'conference-reminder', 'mou-expiring')),
        idempotency_key text NOT NULL,
        occurrence integer NOT NULL CHECK (occurrence > 0),
        step integer NOT NULL DEFAULT 0,
        subject_id text NOT NULL,
        case_id text,
        referral_id text,
        session_id text,
        action_item_id text,
        mou_id text,
        agency_id text,
        awaited_status text,
        target_type text NOT NULL CHECK (target_type IN ('user', 'unit', 'agency')),
        target_id text NOT NULL,
        due_at timestamptz NOT NULL,
        nominal_at timestamptz NOT NULL,
        state text NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'fired', 'cancelled', 'superseded')),
        fired_at timestamptz,
        late boolean,
        lateness_ms integer,
        escalated boolean NOT NULL DEFAULT false,
        correlation_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (department_id, id),
        UNIQUE (department_id, idempotency_key)
      )`);
    // The reconciler walks scheduled reminders in id order; handlers find a subject's pending ones.
    await q.query(`CREATE INDEX reminder_scheduled ON reminder (id) WHERE state = 'scheduled'`);
    await q.query(
      `CREATE INDEX reminder_subject ON reminder (department_id, subject_id, kind) WHERE state = 'scheduled'`,
    );
    await q.query(`CREATE INDEX reminder_case ON reminder (department_id, case_id) WHERE state = 'scheduled'`);
    await q.query(`CREATE INDEX reminder_session ON reminder (department_id, session_id) WHERE state = 'scheduled'`);

    await q.query(`
      CREATE TABLE case_followup (
        department_id text NOT NULL,
        case_id text NOT NULL,
        cadence text[] NOT NULL,
        time_zone text,
        assigned_to text,
        opened_at timestamptz NOT NULL,
        last_occurrence integer NOT NULL DEFAULT 0,
        closed_at timestamptz,
        PRIMARY KEY (department_id, case_id)
      )`);
    await q.query(`
      CREATE TABLE referral_watch (
        department_id text NOT NULL,
        referral_id text NOT NULL,
        agency_id text NOT NULL,
        case_id text,
        urgency text NOT NULL,
        status text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, referral_id)
      )`);
    await q.query(`
      CREATE TABLE conference_session (
        department_id text NOT NULL,
        session_id text NOT NULL,
        starts_at timestamptz NOT NULL,
        member_agency_ids text[] NOT NULL,
        status text NOT NULL,
        revision integer NOT NULL DEFAULT 1,
        PRIMARY KEY (department_id, session_id)
      )`);
    await q.query(`
      CREATE TABLE conference_case (
        department_id text NOT NULL,
        session_id text NOT NULL,
        case_id text NOT NULL,
        removed boolean NOT NULL DEFAULT false,
        PRIMARY KEY (department_id, session_id, case_id)
      )`);
    await q.query(`
      CREATE TABLE department_settings (
        department_id text PRIMARY KEY,
        time_zone text NOT NULL,
        honor_business_hours boolean NOT NULL,
        business_hours jsonb NOT NULL,
        sla jsonb NOT NULL,
        admin_target_type text NOT NULL,
        admin_target_id text NOT NULL,
        supervisor_target_type text NOT NULL,
        supervisor_target_id text NOT NULL,
        smtp jsonb,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE notification_endpoint (
        id text PRIMARY KEY,
        department_id text NOT NULL,
        target_type text NOT NULL CHECK (target_type IN ('user', 'unit', 'agency')),
        target_id text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('webhook', 'email')),
        url text,
        secret_ciphertext text,
        email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (department_id, id)
      )`);
    await q.query(
      `CREATE INDEX notification_endpoint_target ON notification_endpoint (department_id, target_type, target_id)`,
    );
    await q.query(`
      CREATE TABLE notification (
        id text PRIMARY KEY,
        department_id text NOT NULL,
        reminder_id text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('feed', 'webhook', 'email')),
        endpoint_id text NOT NULL DEFAULT '',
        target_type text NOT NULL,
        target_id text NOT NULL,
        body jsonb NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        failed_at timestamptz,
        read_at timestamptz,
        UNIQUE (department_id, id),
        UNIQUE (department_id, reminder_id, channel, endpoint_id),
        FOREIGN KEY (department_id, reminder_id) REFERENCES reminder (department_id, id)
      )`);
    await q.query(
      `CREATE INDEX notification_feed ON notification (department_id, target_type, target_id, created_at DESC) WHERE channel = 'feed'`,
    );
    await q.query(`CREATE INDEX notification_pending ON notification (id) WHERE state = 'pending'`);
    await q.query(`
      CREATE TABLE notification_attempt (
        department_id text NOT NULL,
        notification_id text NOT NULL,
        attempt integer NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed')),
        error text,
        duration_ms integer NOT NULL,
        PRIMARY KEY (department_id, notification_id, attempt),
        FOREIGN KEY (department_id, notification_id) REFERENCES notification (department_id, id)
      )`);
    await q.query(`
      CREATE TABLE dlq_replay (
        id text PRIMARY KEY,
        department_id text NOT NULL,
        dlq_topic text NOT NULL,
        dlq_partition integer NOT NULL,
        dlq_offset text NOT NULL,
        target_topic text NOT NULL,
        event_id text,
        event_type text,
        dlq_error text,
        replayed_by text NOT NULL,
        replayed_at timestamptz NOT NULL DEFAULT now()
      )`);

    for (const table of [
      'reminder',
      'case_followup',
      'referral_watch',
      'conference_session',
      'conference_case',
      'department_settings',
      'notification_endpoint',
      'notification',
      'notification_attempt',
      'dlq_replay',
    ]) {
      await enableTenantIsolation(q, table);
    }
    // Cross-department: the reconciler (scheduled reminders, pending notifications) and the ops tools.
    await enableSystemScope(q, 'reminder', [FOLLOWUP_SYSTEM_SCOPES.reconciler, FOLLOWUP_SYSTEM_SCOPES.ops]);
    await enableSystemScope(q, 'notification', [FOLLOWUP_SYSTEM_SCOPES.reconciler, FOLLOWUP_SYSTEM_SCOPES.ops]);
    await enableSystemScope(q, 'dlq_replay', [FOLLOWUP_SYSTEM_SCOPES.ops]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'dlq_replay',
      'notification_attempt',
      'notification',
      'notification_endpoint',
      'department_settings',
      'conference_case',
      'conference_session',
      'referral_watch',
      'case_followup',
      'reminder',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
