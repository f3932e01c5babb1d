import { enableSystemScope, enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = [
  'referral_setting',
  'directory_service',
  'mou',
  'consent',
  'referral',
  'referral_status_change',
  'disclosure',
  'webhook_endpoint',
  'webhook_delivery',
  'referral_alert',
];

/**
 * Issue 10: HSDS services with capacity, MOUs, consents, referrals with their routing scores and
 * HIPAA checklist, the status history, the accounting of disclosures, webhook endpoints and
 * deliveries, and alerts. Every table under row-level security.
 */
export class ReferralRouting1764979200300 implements MigrationInterface {
  name = 'ReferralRouting1764979200300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE partner_agency
        ADD COLUMN hsds_id uuid,
        ADD COLUMN delivery_key_ciphertext text`);
    await q.query(`
      CREATE TABLE referral_setting (
        department_id text PRIMARY KEY,
        timezone text NOT NULL DEFAULT 'America/New_York',
        routing_mode text NOT NULL DEFAULT 'single' CHECK (routing_mode IN ('single', 'multiple')),
        max_agencies integer NOT NULL DEFAULT 1 CHECK (max_agencies BETWEEN 1 AND 10),
        sla jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE directory_service (
        department_id text NOT NULL,
        id uuid NOT NULL,
        agency_id text NOT NULL,
        name text NOT NULL,
        active boolean NOT NULL,
        kind text NOT NULL,
        needs text[] NOT NULL,
        areas text[] NOT NULL,
        languages text[] NOT NULL,
        min_age integer,
        max_age integer,
        after_hours boolean NOT NULL,
        police_drop_off boolean NOT NULL,
        lessens_imminent_threat boolean NOT NULL,
        hours jsonb NOT NULL,
        capacity_available integer CHECK (capacity_available >= 0),
        capacity_maximum integer CHECK (capacity_maximum >= 0),
        capacity_updated_at timestamptz,
        hsds jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, id),
        FOREIGN KEY (department_id, agency_id) REFERENCES partner_agency (department_id, id)
      )`);
    await q.query('CREATE INDEX directory_service_agency ON directory_service (department_id, agency_id)');
    await q.query(`
      CREATE TABLE mou (
        department_id text NOT NULL,
        id text NOT NULL,
        agency_id text NOT NULL,
        template text NOT NULL,
        service_ids uuid[] NOT NULL,
        effective_from date NOT NULL,
        expires_on date NOT NULL CHECK (expires_on >= effective_from),
        status text NOT NULL,
        terms jsonb NOT NULL,
        document_ref text NOT NULL,
        revision integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, id),
        FOREIGN KEY (department_id, agency_id) REFERENCES partner_agency (department_id, id)
      )`);
    await q.query('CREATE INDEX mou_expiry ON mou (department_id, expires_on)');
    await q.query('CREATE INDEX mou_agency ON mou (department_id, agency_id)');
    await q.query(`
      CREATE TABLE consent (
        department_id text NOT NULL,
        id text NOT NULL,
        person_id text NOT NULL,
        categories text[] NOT NULL,
        agency_ids text[] NOT NULL,
        expires_at timestamptz,
        revoked_at timestamptz,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, id)
      )`);
    await q.query('CREATE INDEX consent_person ON consent (department_id, person_id)');
    await q.query(`
      CREATE TABLE referral (
        department_id text NOT NULL,
        id text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        request_id text NOT NULL,
        triage_id text,
        person_id text,
        case_id text,
        agency_id text NOT NULL,
        service_id uuid NOT NULL,
        mou_id text NOT NULL,
        status text NOT NULL,
        urgency text NOT NULL,
        risk_level text NOT NULL,
        needs text[] NOT NULL,
        kinds text[] NOT NULL,
        language text,
        age_range text NOT NULL,
        area text,
        imminent_threat_flag boolean NOT NULL,
        legal_basis text NOT NULL,
        categories text[] NOT NULL,
        fields text[] NOT NULL,
        part2_notice boolean NOT NULL,
        checklist jsonb NOT NULL,
        ranking jsonb NOT NULL,
        score jsonb NOT NULL,
        chosen_by text NOT NULL,
        attempt integer NOT NULL,
        rerouted_from text,
        rerouted_to text,
        receive_by timestamptz,
        accept_by timestamptz NOT NULL,
        sla_escalated_at timestamptz,
        outcome text,
        reason_code text,
        packet_ciphertext text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, id),
        FOREIGN KEY (department_id, agency_id) REFERENCES partner_agency (department_id, id)
      )`);
    await q.query('CREATE INDEX referral_agency_seq ON referral (department_id, agency_id, seq)');
    await q.query('CREATE INDEX referral_case ON referral (department_id, case_id)');
    await q.query('CREATE INDEX referral_request ON referral (department_id, request_id)');
    await q.query(
      `CREATE INDEX referral_sla_open ON referral (accept_by) WHERE status IN ('requested', 'received') AND sla_escalated_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE referral_status_change (
        department_id text NOT NULL,
        referral_id text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        from_status text NOT NULL,
        to_status text NOT NULL,
        changed_by text NOT NULL,
        actor text NOT NULL,
        reason_code text,
        outcome text,
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, referral_id, seq),
        FOREIGN KEY (department_id, referral_id) REFERENCES referral (department_id, id)
      )`);
    await q.query(`
      CREATE TABLE disclosure (
        department_id text NOT NULL,
        id text NOT NULL,
        referral_id text NOT NULL,
        person_id text,
        agency_id text NOT NULL,
        channel text NOT NULL,
        legal_basis text NOT NULL,
        categories text[] NOT NULL,
        fields text[] NOT NULL,
        part2_notice boolean NOT NULL,
        disclosed_by text NOT NULL,
        disclosed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, id),
        FOREIGN KEY (department_id, referral_id) REFERENCES referral (department_id, id)
      )`);
    await q.query('CREATE INDEX disclosure_person ON disclosure (department_id, person_id, disclosed_at)');
    await q.query(`
      CREATE TABLE webhook_endpoint (
        department_id text NOT NULL,
        agency_id text NOT NULL,
        url text NOT NULL,
        secret_ciphertext text NOT NULL,
        previous_secret_ciphertext text,
        previous_valid_until timestamptz,
        enabled boolean NOT NULL DEFAULT true,
        failing_since timestamptz,
        disabled_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, agency_id),
        FOREIGN KEY (department_id, agency_id) REFERENCES partner_agency (department_id, id)
      )`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        department_id text NOT NULL,
        id text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        agency_id text NOT NULL,
        referral_id text NOT NULL,
        event_type text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'abandoned')),
        attempts integer NOT NULL DEFAULT 0,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        PRIMARY KEY (department_id, id),
        FOREIGN KEY (department_id, agency_id) REFERENCES partner_agency (department_id, id)
      )`);
    await q.query('CREATE INDEX webhook_delivery_agency ON webhook_delivery (department_id, agency_id, seq)');
    await q.query(`
      CREATE TABLE referral_alert (
        department_id text NOT NULL,
        id text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        kind text NOT NULL,
        audience text NOT NULL,
        agency_id text,
        referral_id text,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, id)
      )`);
    for (const t of TABLES) await enableTenantIsolation(q, t);
    // The SLA sweep finds overdue referrals of every department, then handles each under its tenant.
    await enableSystemScope(q, 'referral', ['referral-sla']);
    // ...and webhook deliveries that lost their job (Redis flush, crash before the enqueue).
    await enableSystemScope(q, 'webhook_delivery', ['referral-sla']);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [...TABLES].reverse()) await q.query(`DROP TABLE ${t}`);
    await q.query('ALTER TABLE partner_agency DROP COLUMN hsds_id, DROP COLUMN delivery_key_ciphertext');
  }
}
