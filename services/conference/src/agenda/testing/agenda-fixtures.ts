import { newId } from '@cit/contracts';
import type { DataSource } from 'typeorm';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Fixture rows written as the owner (bypassing RLS), for agenda, outcome and attendance tests. */
export class AgendaFixtures {
  constructor(
    private readonly owner: DataSource,
    readonly departmentId = 'dept-a',
  ) {}

  /** A series with members (the first is the chair). */
  async series(
    opts: { kind?: string; capacity?: number; cutoffHours?: number; members?: string[] } = {},
  ): Promise<string> {
    const id = newId('ser');
    await this.owner.query(
      `INSERT INTO conference_series (department_id, id, kind, title, rrule, time_zone, dtstart_local, duration_minutes,
                                      case_capacity, nomination_cutoff_hours, created_by, updated_by)
       VALUES ($1, $2, $3, 'Weekly table', 'FREQ=WEEKLY;BYDAY=WE', 'America/New_York', '2026-01-07 10:00', 90, $4, $5,
               'fixture', 'fixture')`,
      [this.departmentId, id, opts.kind ?? 'hub', opts.capacity ?? 2, opts.cutoffHours ?? 48],
    );
    for (const [i, agency] of (opts.members ?? []).entries())
      await this.owner.query(
        `INSERT INTO conference_series_member (department_id, series_id, agency_id, role) VALUES ($1, $2, $3, $4)`,
        [this.departmentId, id, agency, i === 0 ? 'chair' : 'member'],
      );
    return id;
  }

  /** A session starting `inDays` from now (negative: in the past), its cutoff `cutoffHours` before. */
  async session(
    seriesId: string,
    inDays: number,
    opts: { capacity?: number; cutoffHours?: number; status?: 'scheduled' | 'cancelled' } = {},
  ): Promise<string> {
    const id = newId('ses');
    const startsAt = new Date(Date.now() + inDays * DAY);
    await this.owner.query(
      `INSERT INTO conference_session (department_id, id, series_id, recurrence_local, starts_at, ends_at, cutoff_at,
                                       case_capacity, status)
       VALUES ($1, $2, $3, $4::timestamptz AT TIME ZONE 'America/New_York', $4, $5, $6, $7, $8)`,
      [
        this.departmentId,
        id,
        seriesId,
        startsAt,
        new Date(startsAt.getTime() + 90 * 60_000),
        new Date(startsAt.getTime() - (opts.cutoffHours ?? 48) * HOUR),
        opts.capacity ?? 2,
        opts.status ?? 'scheduled',
      ],
    );
    return id;
  }

  /** Moves a session `days` into the past (it took place). */
  async pastSession(sessionId: string, daysAgo = 1): Promise<void> {
    await this.owner.query(
      `UPDATE conference_session SET starts_at = now() - make_interval(days => $3), ends_at = now() - make_interval(days => $3) + interval '90 minutes',
              cutoff_at = now() - make_interval(days => $3 + 2)
        WHERE department_id = $1 AND id = $2`,
      [this.departmentId, sessionId, daysAgo],
    );
  }

  /** An open nomination verified `ageHours` ago. */
  async nomination(
    riskLevel: 'none' | 'routine' | 'urgent' | 'imminent',
    opts: {
      ageHours?: number;
      seriesKind?: string;
      privacyStage?: string;
      nameCiphertext?: string;
      personId?: string;
      sourceAgencyId?: string;
      /** Insert through this connection (e.g. an open transaction) instead of the owner's. */
      via?: { query(sql: string, params: unknown[]): Promise<unknown> };
    } = {},
  ): Promise<string> {
    const id = newId('nom');
    const verifiedAt = new Date(Date.now() - (opts.ageHours ?? 1) * HOUR);
    await (opts.via ?? this.owner).query(
      `INSERT INTO nomination (department_id, id, person_key, person_id, source, source_agency_id, series_kind, status,
                               privacy_stage, risk_level, risk_factors, risk_factor_count, age_range, gender, reason_code,
                               name_ciphertext, created_at, verified_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, '{}', 0, '25-34', 'female', 'repeat-contacts', $10, $11, $11)`,
      [
        this.departmentId,
        id,
        `pk-${id}`,
        opts.personId ?? null,
        opts.sourceAgencyId ? 'partner' : 'staff',
        opts.sourceAgencyId ?? null,
        opts.seriesKind ?? null,
        opts.privacyStage ?? 'de-identified',
        riskLevel,
        opts.nameCiphertext ?? null,
        verifiedAt,
      ],
    );
    return id;
  }

  /** Filter 2 found the risk acutely elevated and gave limited identity to `agencies`. */
  async acutelyElevated(nominationId: string, sessionId: string, agencies: string[]): Promise<void> {
    await this.owner.query(
      `UPDATE nomination SET privacy_stage = 'limited-identity' WHERE department_id = $1 AND id = $2`,
      [this.departmentId, nominationId],
    );
    for (const agency of agencies)
      await this.owner.query(
        `INSERT INTO identity_disclosure (department_id, nomination_id, agency_id, session_id, role, fields, disclosed_by)
         VALUES ($1, $2, $3, $4, 'selected', '{name,birthDate}', 'fixture')`,
        [this.departmentId, nominationId, agency, sessionId],
      );
  }

  /** The agenda items of a session in position order. */
  async agenda(
    sessionId: string,
  ): Promise<Array<{ nomination_id: string; position: number; kind: string; status: string }>> {
    return this.owner.query(
      `SELECT nomination_id, position, kind, status FROM agenda_item WHERE department_id = $1 AND session_id = $2
        ORDER BY position`,
      [this.departmentId, sessionId],
    );
  }
}
