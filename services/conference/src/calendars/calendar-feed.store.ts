import type { EntityManager } from 'typeorm';
import type { FeedEvent } from './ics/calendar-feed.renderer';

/** What a feed covers: one series, or every series an agency is a member of. */
export type FeedScope = { scope: 'series'; seriesId: string } | { scope: 'agency'; agencyId: string };

/** A feed token's record (never the token: only its hash is stored). */
export interface CalendarFeedRecord {
  id: string;
  scope: 'series' | 'agency';
  seriesId: string | null;
  agencyId: string | null;
  createdAt: Date;
  createdBy: string;
}

/** A feed found by its token: the department it belongs to and what it covers. */
export interface ResolvedFeed {
  departmentId: string;
  feedId: string;
  target: FeedScope;
}

interface FeedRow {
  id: string;
  scope: 'series' | 'agency';
  series_id: string | null;
  agency_id: string | null;
  created_at: Date;
  created_by: string;
}

interface SessionRow {
  id: string;
  title: string;
  kind: string;
  time_zone: string;
  starts_at: Date;
  ends_at: Date;
  status: 'scheduled' | 'cancelled';
  sequence: number;
  location: string | null;
  meeting_url: string | null;
  updated_at: Date;
  case_capacity: number;
  case_count: number;
}

const record = (r: FeedRow): CalendarFeedRecord => ({
  id: r.id,
  scope: r.scope,
  seriesId: r.series_id,
  agencyId: r.agency_id,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const FEED_COLUMNS = 'id, scope, series_id, agency_id, created_at, created_by';

// A session's agenda as a count (items moved to another session count there). Its last change
// is the latest of the session's, its series' (title, kind) and its agenda's: what the VEVENT shows.
const SESSION_QUERY = (seriesFilter: string) => `
  SELECT s.id, se.title, se.kind, se.time_zone, s.starts_at, s.ends_at, s.status, s.sequence,
         s.location, s.meeting_url, s.case_capacity, ag.case_count,
         GREATEST(s.updated_at, se.updated_at, ag.changed_at) AS updated_at
    FROM conference_session s
    JOIN conference_series se ON se.department_id = s.department_id AND se.id = s.series_id
    CROSS JOIN LATERAL (
      SELECT (count(*) FILTER (WHERE a.status <> 'moved'))::int AS case_count, max(a.updated_at) AS changed_at
        FROM agenda_item a
       WHERE a.department_id = s.department_id AND a.session_id = s.id) ag
   WHERE s.department_id = $1 AND ${seriesFilter} AND s.starts_at >= $3
   ORDER BY s.starts_at, s.id`;

/** SQL of calendar feeds and of the sessions they show; every statement names the department (RLS backs it). */
export const CalendarFeedStore = {
  async insert(
    em: EntityManager,
    departmentId: string,
    feed: { id: string; tokenHash: Buffer; target: FeedScope; createdBy: string },
  ): Promise<CalendarFeedRecord> {
    const [row] = (await em.query(
      `INSERT INTO calendar_feed (department_id, id, token_hash, scope, series_id, agency_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${FEED_COLUMNS}`,
      [
        departmentId,
        feed.id,
        feed.tokenHash,
        feed.target.scope,
        feed.target.scope === 'series' ? feed.target.seriesId : null,
        feed.target.scope === 'agency' ? feed.target.agencyId : null,
        feed.createdBy,
      ],
    )) as FeedRow[];
    return record(row);
  },

  /** Active feeds of the department, oldest first; of one agency when agencyId is given. */
  async listActive(em: EntityManager, departmentId: string, agencyId?: string): Promise<CalendarFeedRecord[]> {
    const rows = (await em.query(
      `SELECT ${FEED_COLUMNS} FROM calendar_feed
        WHERE department_id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR agency_id = $2)
        ORDER BY created_at, id`,
      [departmentId, agencyId ?? null],
    )) as FeedRow[];
    return rows.map(record);
  },

  /** Revokes an active feed (of one agency when agencyId is given); false when there is none to revoke. */
  async revoke(
    em: EntityManager,
    departmentId: string,
    id: string,
    revokedBy: string,
    agencyId?: string,
  ): Promise<boolean> {
    // A WITH … SELECT answers its rows (a bare UPDATE … RETURNING through TypeORM answers [rows, count]).
    const rows = (await em.query(
      `WITH revoked AS (
         UPDATE calendar_feed SET revoked_at = now(), revoked_by = $3
          WHERE department_id = $1 AND id = $2 AND revoked_at IS NULL AND ($4::text IS NULL OR agency_id = $4)
          RETURNING id)
       SELECT id FROM revoked`,
      [departmentId, id, revokedBy, agencyId ?? null],
    )) as unknown[];
    return rows.length > 0;
  },

  /** The active feed a token hash names, in any department (run under the feed-token system scope). */
  async findActiveByHash(em: EntityManager, tokenHash: Buffer): Promise<ResolvedFeed | null> {
    const [row] = (await em.query(
      `SELECT department_id, id, scope, series_id, agency_id FROM calendar_feed
        WHERE token_hash = $1 AND revoked_at IS NULL`,
      [tokenHash],
    )) as Array<FeedRow & { department_id: string }>;
    if (!row) return null;
    const target: FeedScope =
      row.scope === 'series'
        ? { scope: 'series', seriesId: row.series_id! }
        : { scope: 'agency', agencyId: row.agency_id! };
    return { departmentId: row.department_id, feedId: row.id, target };
  },

  /** Active feeds of one target (a series, or an agency), for the cap on how many may be open at once. */
  async countActive(em: EntityManager, departmentId: string, target: FeedScope): Promise<number> {
    const [row] = (await em.query(
      `SELECT count(*)::int AS n FROM calendar_feed
        WHERE department_id = $1 AND revoked_at IS NULL AND scope = $2
          AND (series_id = $3 OR agency_id = $3)`,
      [departmentId, target.scope, target.scope === 'series' ? target.seriesId : target.agencyId],
    )) as Array<{ n: number }>;
    return row?.n ?? 0;
  },

  async seriesExists(em: EntityManager, departmentId: string, seriesId: string): Promise<boolean> {
    const rows = (await em.query('SELECT 1 FROM conference_series WHERE department_id = $1 AND id = $2', [
      departmentId,
      seriesId,
    ])) as unknown[];
    return rows.length > 0;
  },

  /** An agency the conference service knows: a member of some series, or one with an MOU on record. */
  async agencyKnown(em: EntityManager, departmentId: string, agencyId: string): Promise<boolean> {
    const rows = (await em.query(
      `SELECT 1 FROM conference_series_member WHERE department_id = $1 AND agency_id = $2
       UNION ALL
       SELECT 1 FROM conference_agency WHERE department_id = $1 AND agency_id = $2
       LIMIT 1`,
      [departmentId, agencyId],
    )) as unknown[];
    return rows.length > 0;
  },

  async seriesHeading(
    em: EntityManager,
    departmentId: string,
    seriesId: string,
  ): Promise<{ title: string; timeZone: string } | null> {
    const [row] = (await em.query(
      'SELECT title, time_zone FROM conference_series WHERE department_id = $1 AND id = $2',
      [departmentId, seriesId],
    )) as Array<{ title: string; time_zone: string }>;
    return row ? { title: row.title, timeZone: row.time_zone } : null;
  },

  /** The department's conference time zone (settings), if set. */
  async departmentTimeZone(em: EntityManager, departmentId: string): Promise<string | null> {
    const [row] = (await em.query('SELECT time_zone FROM conference_settings WHERE department_id = $1', [
      departmentId,
    ])) as Array<{ time_zone: string }>;
    return row?.time_zone ?? null;
  },

  /** Sessions a feed shows, starting at or after since, in time order. */
  async sessions(em: EntityManager, departmentId: string, target: FeedScope, since: Date): Promise<FeedEvent[]> {
    const rows = (
      target.scope === 'series'
        ? await em.query(SESSION_QUERY('s.series_id = $2'), [departmentId, target.seriesId, since])
        : await em.query(
            SESSION_QUERY(`s.series_id IN (SELECT m.series_id FROM conference_series_member m
                                           WHERE m.department_id = $1 AND m.agency_id = $2)`),
            [departmentId, target.agencyId, since],
          )
    ) as SessionRow[];
    return rows.map((r) => ({
      sessionId: r.id,
      seriesTitle: r.title,
      seriesKind: r.kind,
      timeZone: r.time_zone,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      status: r.status,
      sequence: r.sequence,
      location: r.location,
      meetingUrl: r.meeting_url,
      updatedAt: r.updated_at,
      caseCount: r.case_count,
      caseCapacity: r.case_capacity,
    }));
  },
};
