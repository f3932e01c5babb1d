import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType, RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { actorOf, loadSessionFor, notChair, runsSession } from '../../agenda/session-access';
import { attendanceFieldErrors } from '../attendance-rules';
import { ATTENDANCE_COLUMNS, attendanceView, type AttendanceRow, type AttendanceView } from '../attendance.view';
import type { RecordAttendanceRequest } from './record-attendance.request';

/** Records who attended a session (every series kind) and, at cross-trainings, who completed the training. */
@Injectable()
export class RecordAttendanceService {
  constructor(private readonly dataSource: DataSource) {}

  async record(
    sessionId: string,
    req: RecordAttendanceRequest,
    principal: Principal,
    now = new Date(),
  ): Promise<AttendanceView> {
    const dept = principal.departmentId;
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const session = await loadSessionFor(em, principal, sessionId, { lock: true });
      if (!runsSession(principal, session)) throw notChair();
      if (session.status === 'cancelled')
        throw new ProblemException(ProblemType.conflict, 409, 'Conflict', 'The session was cancelled.');
      if (session.startsAt.getTime() > now.getTime())
        throw new ProblemException(
          ProblemType.conflict,
          409,
          'Conflict',
          'Attendance is recorded once the session has started.',
        );
      const errors = attendanceFieldErrors(req, session.seriesKind, new Set(session.members.map((m) => m.agencyId)));
      if (errors.length > 0) throw new RequestValidationError(errors);

      const by = actorOf(principal);
      await em.query(`DELETE FROM session_attendance WHERE department_id = $1 AND session_id = $2`, [dept, sessionId]);
      const a = req.attendees;
      if (a.length > 0) {
        await em.query(
          `INSERT INTO session_attendance (department_id, session_id, attendee_kind, attendee_id, attendee_name, agency_id,
                                           present, training_completed, training_hours, session_starts_at, updated_by)
           SELECT $1, $2, kind, id, name, agency, present, completed, hours, $3, $4
             FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::boolean[], $11::numeric[])
                  AS a(kind, id, name, agency, present, completed, hours)`,
          [
            dept,
            sessionId,
            session.startsAt,
            by,
            a.map((x) => x.kind),
            a.map((x) => x.id),
            a.map((x) => x.name ?? null),
            a.map((x) => x.agencyId ?? null),
            a.map((x) => x.present),
            a.map((x) => x.training?.completed ?? null),
            a.map((x) => x.training?.hours ?? null),
          ],
        );
      }
      const rows: AttendanceRow[] = await em.query(
        `SELECT ${ATTENDANCE_COLUMNS} FROM session_attendance WHERE department_id = $1 AND session_id = $2
          ORDER BY attendee_kind, attendee_id`,
        [dept, sessionId],
      );
      return attendanceView(sessionId, session.seriesKind, rows);
    });
  }
}
