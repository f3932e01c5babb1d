import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import type { TrainingRosterQuery } from './training-roster.query';

export interface RosterEntry {
  id: string;
  name: string | null;
  agencyId: string | null;
  /** The latest cross-training the person completed. */
  lastCompletedAt: string;
  lastSessionId: string;
  lastHours: number;
  /** Over every completed cross-training since `since`. */
  trainings: number;
  totalHours: number;
}

/** Roster size cap: a department's trained staff, not a log. */
const ROSTER_LIMIT = 5_000;

/** The latest completed cross-training of each officer (or provider staff member) of the department. */
@Injectable()
export class TrainingRosterService {
  constructor(private readonly dataSource: DataSource) {}

  async roster(query: TrainingRosterQuery, principal: Principal) {
    const dept = principal.departmentId;
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const rows: Array<{
        attendee_id: string;
        attendee_name: string | null;
        agency_id: string | null;
        session_id: string;
        session_starts_at: Date;
        training_hours: string;
        trainings: number;
        total_hours: string;
      }> = await em.query(
        `SELECT * FROM (
           SELECT DISTINCT ON (attendee_id) attendee_id, attendee_name, agency_id, session_id, session_starts_at,
                  training_hours,
                  count(*) OVER (PARTITION BY attendee_id)::int AS trainings,
                  sum(training_hours) OVER (PARTITION BY attendee_id) AS total_hours
             FROM session_attendance
            WHERE department_id = $1 AND attendee_kind = $2 AND training_completed
              AND ($3::date IS NULL OR session_starts_at >= $3::date)
            ORDER BY attendee_id, session_starts_at DESC, session_id DESC) latest
         ORDER BY session_starts_at DESC, attendee_id
         LIMIT $4`,
        [dept, query.traineeKind, query.since ?? null, ROSTER_LIMIT],
      );
      return {
        traineeKind: query.traineeKind,
        since: query.since ?? null,
        items: rows.map(
          (r): RosterEntry => ({
            id: r.attendee_id,
            name: r.attendee_name,
            agencyId: r.agency_id,
            lastCompletedAt: r.session_starts_at.toISOString(),
            lastSessionId: r.session_id,
            lastHours: Number(r.training_hours),
            trainings: r.trainings,
            totalHours: Number(r.total_hours),
          }),
        ),
      };
    });
  }
}
