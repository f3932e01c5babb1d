import type { EntityManager } from 'typeorm';
import type { SessionChange } from '../domain/session-plan';
import type { SessionRecord } from '../series.record';

interface SessionRow {
  id: string;
  department_id: string;
  series_id: string;
  recurrence_local: string;
  starts_at: Date;
  ends_at: Date;
  cutoff_at: Date;
  case_capacity: number;
  location: string | null;
  meeting_url: string | null;
  status: SessionRecord['status'];
  rescheduled: boolean;
  sequence: number;
  cancel_reason: string | null;
  updated_at: Date;
}

const COLUMNS = `id, department_id, series_id, to_char(recurrence_local, 'YYYY-MM-DD"T"HH24:MI:SS') AS recurrence_local,
  starts_at, ends_at, cutoff_at, case_capacity, location, meeting_url, status, rescheduled, sequence, cancel_reason,
  updated_at`;

function toRecord(r: SessionRow): SessionRecord {
  return {
    id: r.id,
    departmentId: r.department_id,
    seriesId: r.series_id,
    recurrenceLocal: r.recurrence_local,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    cutoffAt: r.cutoff_at,
    caseCapacity: r.case_capacity,
    location: r.location,
    meetingUrl: r.meeting_url,
    status: r.status,
    rescheduled: r.rescheduled,
    sequence: r.sequence,
    cancelReason: r.cancel_reason,
    updatedAt: r.updated_at,
  };
}

/** conference_session (caller's transaction, tenant set). */
export const SessionStore = {
  async get(
    em: EntityManager,
    departmentId: string,
    id: string,
    forUpdate = false,
  ): Promise<SessionRecord | undefined> {
    const [row] = (await em.query(
      `SELECT ${COLUMNS} FROM conference_session WHERE department_id = $1 AND id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [departmentId, id],
    )) as SessionRow[];
    return row ? toRecord(row) : undefined;
  },

  /** Sessions of a series starting after `after`, locked for a series edit. */
  async future(em: EntityManager, departmentId: string, seriesId: string, after: Date): Promise<SessionRecord[]> {
    const rows = (await em.query(
      `SELECT ${COLUMNS} FROM conference_session
        WHERE department_id = $1 AND series_id = $2 AND starts_at > $3 ORDER BY starts_at, id FOR UPDATE`,
      [departmentId, seriesId, after],
    )) as SessionRow[];
    return rows.map(toRecord);
  },

  /** RECURRENCE-IDs a series already has sessions for, from `from` on (wall clock, text). */
  async recurrencesFrom(em: EntityManager, departmentId: string, seriesId: string, from: string): Promise<Set<string>> {
    const rows = (await em.query(
      `SELECT to_char(recurrence_local, 'YYYY-MM-DD"T"HH24:MI:SS') AS r FROM conference_session
        WHERE department_id = $1 AND series_id = $2 AND recurrence_local >= $3::timestamp`,
      [departmentId, seriesId, from],
    )) as { r: string }[];
    return new Set(rows.map((x) => x.r));
  },

  /** One page of a series' sessions in [from, to), after the keyset (startsAt, id) when given. */
  async page(
    em: EntityManager,
    departmentId: string,
    seriesId: string,
    q: { from?: Date; to?: Date; after?: [string, string]; limit: number },
  ): Promise<SessionRecord[]> {
    const rows = (await em.query(
      `SELECT ${COLUMNS} FROM conference_session
        WHERE department_id = $1 AND series_id = $2
          AND ($3::timestamptz IS NULL OR starts_at >= $3) AND ($4::timestamptz IS NULL OR starts_at < $4)
          AND ($5::timestamptz IS NULL OR (starts_at, id) > ($5::timestamptz, $6::text))
        ORDER BY starts_at, id LIMIT $7`,
      [departmentId, seriesId, q.from ?? null, q.to ?? null, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1],
    )) as SessionRow[];
    return rows.map(toRecord);
  },

  /**
   * Inserts the session of an occurrence unless the series already has one for it
   * (unique (series, recurrence_local)): concurrent horizon runs create each session once.
   * Returns the new session, or undefined when it existed.
   */
  async insertIfAbsent(
    em: EntityManager,
    departmentId: string,
    seriesId: string,
    id: string,
    change: Extract<SessionChange, { kind: 'create' }>,
  ): Promise<SessionRecord | undefined> {
    const f = change.fields;
    const [row] = (await em.query(
      `INSERT INTO conference_session (department_id, id, series_id, recurrence_local, starts_at, ends_at, cutoff_at,
         case_capacity, location, meeting_url)
       VALUES ($1, $2, $3, $4::timestamp, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (department_id, series_id, recurrence_local) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        departmentId,
        id,
        seriesId,
        change.recurrenceLocal,
        f.startsAt,
        f.endsAt,
        f.cutoffAt,
        f.caseCapacity,
        f.location,
        f.meetingUrl,
      ],
    )) as SessionRow[];
    return row ? toRecord(row) : undefined;
  },

  /** Sets new time/place/capacity and raises the sequence. */
  async update(
    em: EntityManager,
    departmentId: string,
    id: string,
    change: {
      recurrenceLocal?: string;
      fields: Extract<SessionChange, { kind: 'update' }>['fields'];
      rescheduled?: boolean;
    },
  ): Promise<SessionRecord> {
    const f = change.fields;
    const result = (await em.query(
      `UPDATE conference_session SET recurrence_local = COALESCE($3::timestamp, recurrence_local), starts_at = $4,
         ends_at = $5, cutoff_at = $6, case_capacity = $7, location = $8, meeting_url = $9,
         rescheduled = rescheduled OR $10, sequence = sequence + 1, updated_at = now()
       WHERE department_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [
        departmentId,
        id,
        change.recurrenceLocal ?? null,
        f.startsAt,
        f.endsAt,
        f.cutoffAt,
        f.caseCapacity,
        f.location,
        f.meetingUrl,
        change.rescheduled ?? false,
      ],
    )) as [SessionRow[], number] | SessionRow[];
    return toRecord(firstRow(result));
  },

  /** A cancelled session's RECURRENCE-ID follows the series' time of day (nothing else changes; no event). */
  async relabel(em: EntityManager, departmentId: string, id: string, recurrenceLocal: string): Promise<void> {
    await em.query(
      `UPDATE conference_session SET recurrence_local = $3::timestamp WHERE department_id = $1 AND id = $2`,
      [departmentId, id, recurrenceLocal],
    );
  },

  async cancel(em: EntityManager, departmentId: string, id: string, reason: string): Promise<SessionRecord> {
    const result = (await em.query(
      `UPDATE conference_session SET status = 'cancelled', cancel_reason = $3, sequence = sequence + 1, updated_at = now()
        WHERE department_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [departmentId, id, reason],
    )) as [SessionRow[], number] | SessionRow[];
    return toRecord(firstRow(result));
  },
};

// node-postgres through TypeORM answers UPDATE ... RETURNING with [rows, count].
function firstRow(result: [SessionRow[], number] | SessionRow[]): SessionRow {
  const rows = Array.isArray(result[0]) ? (result[0] as SessionRow[]) : (result as SessionRow[]);
  const row = rows[0];
  if (!row) throw new Error('session row vanished inside its transaction');
  return row;
}
