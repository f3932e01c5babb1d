import { disableTenantIsolation, enableSystemScope, enableTenantIsolation } from '@cit/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** System scope of the horizon job, which finds every department's active series to extend. */
export const CONFERENCE_SYSTEM_SCOPES = {
  horizon: 'conference-horizon',
} as const;

const TABLES = [
  'conference_settings',
  'conference_agency',
  'conference_series',
  'conference_series_member',
  'conference_session',
] as const;

/**
 * Department conference settings, the member-agency projection of referral's MOUs, series with
 * their members, and sessions. Wall-clock columns (dtstart_local, recurrence_local) are
 * `timestamp` without zone on purpose: an RRULE recurs in local time, and the instant of each
 * occurrence depends on the zone's rules at that date.
 */
export class ConferenceSeries1765200000100 implements MigrationInterface {
  name = 'ConferenceSeries1765200000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conference_settings (
        department_id text PRIMARY KEY,
        time_zone text NOT NULL,
        horizon_weeks integer NOT NULL DEFAULT 12 CHECK (horizon_weeks BETWEEN 1 AND 104),
        family_form_enabled boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE conference_agency (
        department_id text NOT NULL,
        agency_id text NOT NULL,
        mou_id text NOT NULL,
        mou_status text NOT NULL,
        effective_from date NOT NULL,
        expires_on date NOT NULL,
        revision integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, agency_id, mou_id)
      )`);
    await q.query(`
      CREATE TABLE conference_series (
        department_id text NOT NULL,
        id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('hub', 'ccit', 'clear', 'stakeholder', 'cross-training', 'custom')),
        title text NOT NULL,
        rrule text NOT NULL,
        time_zone text NOT NULL,
        dtstart_local timestamp NOT NULL,
        duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 1440),
        location text,
        meeting_url text,
        case_capacity integer NOT NULL CHECK (case_capacity >= 0),
        nomination_cutoff_hours integer NOT NULL CHECK (nomination_cutoff_hours >= 0),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
        ended_at timestamptz,
        generated_until timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        PRIMARY KEY (department_id, id)
      )`);
    await q.query(`CREATE INDEX conference_series_active ON conference_series (department_id) WHERE status = 'active'`);
    await q.query(`
      CREATE TABLE conference_series_member (
        department_id text NOT NULL,
        series_id text NOT NULL,
        agency_id text NOT NULL,
        role text NOT NULL CHECK (role IN ('chair', 'member')),
        PRIMARY KEY (department_id, series_id, agency_id),
        FOREIGN KEY (department_id, series_id) REFERENCES conference_series (department_id, id) ON DELETE CASCADE
      )`);
    // A partner's view: the series an agency belongs to.
    await q.query(
      `CREATE INDEX conference_series_member_agency ON conference_series_member (department_id, agency_id)`,
    );
    await q.query(`
      CREATE TABLE conference_session (
        department_id text NOT NULL,
        id text NOT NULL,
        series_id text NOT NULL,
        recurrence_local timestamp NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        cutoff_at timestamptz NOT NULL,
        case_capacity integer NOT NULL CHECK (case_capacity >= 0),
        location text,
        meeting_url text,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
        rescheduled boolean NOT NULL DEFAULT false,
        sequence integer NOT NULL DEFAULT 0,
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (department_id, id),
        UNIQUE (department_id, series_id, recurrence_local),
        FOREIGN KEY (department_id, series_id) REFERENCES conference_series (department_id, id),
        CHECK (ends_at > starts_at)
      )`);
    await q.query(
      `CREATE INDEX conference_session_series_start ON conference_session (department_id, series_id, starts_at, id)`,
    );
    // The scheduler walks upcoming scheduled sessions in time order.
    await q.query(
      `CREATE INDEX conference_session_upcoming ON conference_session (department_id, starts_at) WHERE status = 'scheduled'`,
    );
    for (const table of TABLES) await enableTenantIsolation(q, table);
    await enableSystemScope(q, 'conference_series', [CONFERENCE_SYSTEM_SCOPES.horizon]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) {
      await disableTenantIsolation(q, table);
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
