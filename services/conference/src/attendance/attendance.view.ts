import type { AttendeeKind } from './record-attendance/record-attendance.request';

export interface AttendanceRow {
  attendee_kind: AttendeeKind;
  attendee_id: string;
  attendee_name: string | null;
  agency_id: string | null;
  present: boolean;
  training_completed: boolean | null;
  training_hours: string | null;
  updated_at: Date;
  updated_by: string;
}

export interface AttendanceView {
  sessionId: string;
  seriesKind: string;
  attendees: Array<{
    kind: AttendeeKind;
    id: string;
    name: string | null;
    agencyId: string | null;
    present: boolean;
    training?: { completed: boolean; hours: number };
  }>;
  updatedAt: string | null;
}

/** Reads a session's attendance rows into its view. */
export function attendanceView(sessionId: string, seriesKind: string, rows: readonly AttendanceRow[]): AttendanceView {
  return {
    sessionId,
    seriesKind,
    attendees: rows.map((r) => ({
      kind: r.attendee_kind,
      id: r.attendee_id,
      name: r.attendee_name,
      agencyId: r.agency_id,
      present: r.present,
      ...(r.training_completed === null
        ? {}
        : { training: { completed: r.training_completed, hours: Number(r.training_hours ?? 0) } }),
    })),
    updatedAt: rows.length ? new Date(Math.max(...rows.map((r) => r.updated_at.getTime()))).toISOString() : null,
  };
}

export const ATTENDANCE_COLUMNS =
  'attendee_kind, attendee_id, attendee_name, agency_id, present, training_completed, training_hours, updated_at, updated_by';
