import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { loadSessionFor } from '../../agenda/session-access';
import { ATTENDANCE_COLUMNS, attendanceView, type AttendanceRow, type AttendanceView } from '../attendance.view';

/** A session's attendance (program staff and member agencies). */
@Injectable()
export class GetAttendanceService {
  constructor(private readonly dataSource: DataSource) {}

  async get(sessionId: string, principal: Principal): Promise<AttendanceView> {
    const dept = principal.departmentId;
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const session = await loadSessionFor(em, principal, sessionId);
      const rows: AttendanceRow[] = await em.query(
        `SELECT ${ATTENDANCE_COLUMNS} FROM session_attendance WHERE department_id = $1 AND session_id = $2
          ORDER BY attendee_kind, attendee_id`,
        [dept, sessionId],
      );
      return attendanceView(sessionId, session.seriesKind, rows);
    });
  }
}
