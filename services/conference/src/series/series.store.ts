import type { EntityManager } from 'typeorm';
import type { SeriesMember } from './domain/series-rules';
import type { SeriesRecord } from './series.record';

interface SeriesRow {
  id: string;
  department_id: string;
  kind: SeriesRecord['kind'];
  title: string;
  rrule: string;
  time_zone: string;
  first_occurrence: string;
  duration_minutes: number;
  location: string | null;
  meeting_url: string | null;
  case_capacity: number;
  nomination_cutoff_hours: number;
  status: SeriesRecord['status'];
  ended_at: Date | null;
  version: number;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
}

// Wall-clock columns are read as text: node-postgres would read a timestamp without zone in
// the process's own zone.
const COLUMNS = `id, department_id, kind, title, rrule, time_zone,
  to_char(dtstart_local, 'YYYY-MM-DD"T"HH24:MI:SS') AS first_occurrence, duration_minutes, location, meeting_url,
  case_capacity, nomination_cutoff_hours, status, ended_at, version, created_at, created_by, updated_at, updated_by`;

function toRecord(r: SeriesRow, members: SeriesMember[]): SeriesRecord {
  return {
    id: r.id,
    departmentId: r.department_id,
    kind: r.kind,
    title: r.title,
    rrule: r.rrule,
    timeZone: r.time_zone,
    firstOccurrence: r.first_occurrence,
    durationMinutes: r.duration_minutes,
    location: r.location,
    meetingUrl: r.meeting_url,
    caseCapacity: r.case_capacity,
    nominationCutoffHours: r.nomination_cutoff_hours,
    status: r.status,
    endedAt: r.ended_at,
    version: r.version,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    members,
  };
}

async function membersOf(em: EntityManager, departmentId: string, ids: string[]): Promise<Map<string, SeriesMember[]>> {
  const out = new Map<string, SeriesMember[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = (await em.query(
    `SELECT series_id, agency_id, role FROM conference_series_member
      WHERE department_id = $1 AND series_id = ANY($2::text[]) ORDER BY series_id, role, agency_id`,
    [departmentId, ids],
  )) as { series_id: string; agency_id: string; role: SeriesMember['role'] }[];
  for (const r of rows) out.get(r.series_id)?.push({ agencyId: r.agency_id, role: r.role });
  return out;
}

/** conference_series and its members (caller's transaction, tenant set). */
export const SeriesStore = {
  async get(em: EntityManager, departmentId: string, id: string, forUpdate = false): Promise<SeriesRecord | undefined> {
    const [row] = (await em.query(
      `SELECT ${COLUMNS} FROM conference_series WHERE department_id = $1 AND id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [departmentId, id],
    )) as SeriesRow[];
    if (!row) return undefined;
    return toRecord(row, (await membersOf(em, departmentId, [id])).get(id)!);
  },

  /** Series of the department, optionally only those an agency is a member of, in creation order. */
  async list(
    em: EntityManager,
    departmentId: string,
    filter: { memberAgencyId?: string; status?: SeriesRecord['status'] },
  ): Promise<SeriesRecord[]> {
    const rows = (await em.query(
      `SELECT ${COLUMNS} FROM conference_series s
        WHERE s.department_id = $1
          AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM conference_series_member m
                WHERE m.department_id = s.department_id AND m.series_id = s.id AND m.agency_id = $2))
          AND ($3::text IS NULL OR s.status = $3)
        ORDER BY s.created_at, s.id`,
      [departmentId, filter.memberAgencyId ?? null, filter.status ?? null],
    )) as SeriesRow[];
    const members = await membersOf(
      em,
      departmentId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toRecord(r, members.get(r.id)!));
  },

  /** Ids of the department's active series. */
  async activeIds(em: EntityManager, departmentId: string): Promise<string[]> {
    const rows = (await em.query(
      `SELECT id FROM conference_series WHERE department_id = $1 AND status = 'active' ORDER BY id`,
      [departmentId],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  },

  async insert(em: EntityManager, s: SeriesRecord): Promise<void> {
    await em.query(
      `INSERT INTO conference_series (department_id, id, kind, title, rrule, time_zone, dtstart_local, duration_minutes,
         location, meeting_url, case_capacity, nomination_cutoff_hours, status, version, created_at, created_by,
         updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamp, $8, $9, $10, $11, $12, 'active', 1, $13, $14, $13, $14)`,
      [
        s.departmentId,
        s.id,
        s.kind,
        s.title,
        s.rrule,
        s.timeZone,
        s.firstOccurrence,
        s.durationMinutes,
        s.location,
        s.meetingUrl,
        s.caseCapacity,
        s.nominationCutoffHours,
        s.createdAt,
        s.createdBy,
      ],
    );
    await this.replaceMembers(em, s.departmentId, s.id, s.members);
  },

  /** Saves an edited series and raises its version. */
  async update(em: EntityManager, s: SeriesRecord, by: string): Promise<void> {
    await em.query(
      `UPDATE conference_series SET title = $3, rrule = $4, time_zone = $5, dtstart_local = $6::timestamp,
         duration_minutes = $7, location = $8, meeting_url = $9, case_capacity = $10, nomination_cutoff_hours = $11,
         status = $12, ended_at = $13, version = version + 1, updated_at = now(), updated_by = $14
       WHERE department_id = $1 AND id = $2`,
      [
        s.departmentId,
        s.id,
        s.title,
        s.rrule,
        s.timeZone,
        s.firstOccurrence,
        s.durationMinutes,
        s.location,
        s.meetingUrl,
        s.caseCapacity,
        s.nominationCutoffHours,
        s.status,
        s.endedAt,
        by,
      ],
    );
  },

  async replaceMembers(em: EntityManager, departmentId: string, seriesId: string, members: SeriesMember[]) {
    await em.query(`DELETE FROM conference_series_member WHERE department_id = $1 AND series_id = $2`, [
      departmentId,
      seriesId,
    ]);
    if (members.length === 0) return;
    await em.query(
      `INSERT INTO conference_series_member (department_id, series_id, agency_id, role)
       SELECT $1, $2, a, r FROM unnest($3::text[], $4::text[]) AS t(a, r)`,
      [departmentId, seriesId, members.map((m) => m.agencyId), members.map((m) => m.role)],
    );
  },
};
