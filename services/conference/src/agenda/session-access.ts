import type { Principal } from '@cit/auth';
import { ProblemException, ProblemType } from '@cit/service-kit';
import type { EntityManager } from 'typeorm';
import type { CaseViewer } from '../privacy/case-view';

/** A session as the agenda, outcome and attendance routes need it. */
export interface SessionRef {
  id: string;
  seriesId: string;
  seriesKind: string;
  seriesTitle: string;
  startsAt: Date;
  endsAt: Date;
  status: 'scheduled' | 'cancelled';
  caseCapacity: number;
  members: Array<{ agencyId: string; role: 'chair' | 'member' }>;
}

/** Staff roles that run the program (record outcomes and attendance for any session). */
export const PROGRAM_ROLES = ['coordinator', 'supervisor', 'admin'] as const;

const notFound = () => new ProblemException(ProblemType.notFound, 404, 'Not found', 'No session has this id.');

/**
 * The session, or 404 when it does not exist in the caller's department or the caller is a
 * partner agency that is not a member of its series (a non-member learns nothing, not even
 * that the session exists). `lock` holds the session row for the rest of the transaction.
 */
export async function loadSessionFor(
  em: EntityManager,
  principal: Principal,
  sessionId: string,
  options: { lock?: boolean } = {},
): Promise<SessionRef> {
  const dept = principal.departmentId;
  const rows: Array<{
    id: string;
    series_id: string;
    kind: string;
    title: string;
    starts_at: Date;
    ends_at: Date;
    status: SessionRef['status'];
    case_capacity: number;
  }> = await em.query(
    `SELECT s.id, s.series_id, r.kind, r.title, s.starts_at, s.ends_at, s.status, s.case_capacity
       FROM conference_session s JOIN conference_series r ON r.department_id = s.department_id AND r.id = s.series_id
      WHERE s.department_id = $1 AND s.id = $2 ${options.lock ? 'FOR UPDATE OF s' : ''}`,
    [dept, sessionId],
  );
  const s = rows[0];
  if (!s) throw notFound();
  const members: Array<{ agency_id: string; role: 'chair' | 'member' }> = await em.query(
    `SELECT agency_id, role FROM conference_series_member WHERE department_id = $1 AND series_id = $2 ORDER BY agency_id`,
    [dept, s.series_id],
  );
  if (principal.kind === 'partner' && !members.some((m) => m.agency_id === principal.agencyId)) throw notFound();
  return {
    id: s.id,
    seriesId: s.series_id,
    seriesKind: s.kind,
    seriesTitle: s.title,
    startsAt: s.starts_at,
    endsAt: s.ends_at,
    status: s.status,
    caseCapacity: s.case_capacity,
    members: members.map((m) => ({ agencyId: m.agency_id, role: m.role })),
  };
}

/** Whether the caller may run the session's business: program staff, or the series' chair agency. */
export function runsSession(principal: Principal, session: SessionRef): boolean {
  if (principal.kind === 'partner')
    return session.members.some((m) => m.agencyId === principal.agencyId && m.role === 'chair');
  return principal.roles.some((r) => (PROGRAM_ROLES as readonly string[]).includes(r));
}

/** The case-view viewer of a principal. */
export function viewerOf(principal: Principal): CaseViewer {
  return principal.kind === 'partner'
    ? { kind: 'partner', agencyId: principal.agencyId! }
    : { kind: 'staff', roles: principal.roles };
}

/** 403 for a caller that may see the session but not run it. */
export function notChair(): ProblemException {
  return new ProblemException(
    ProblemType.forbidden,
    403,
    'Forbidden',
    'Only program staff or the chair agency of the series may do this.',
  );
}

/** Who acted, as stored: a staff subject or a partner agency (never a name). */
export function actorOf(principal: Principal): string {
  return principal.kind === 'partner' ? `agency:${principal.agencyId}` : principal.subject;
}

/** Rows of an UPDATE … RETURNING (TypeORM's postgres driver answers UPDATE and DELETE with [rows, count]). */
export async function updateReturning<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await em.query(sql, params)) as [T[], number];
  return rows;
}
