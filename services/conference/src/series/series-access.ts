import type { Principal } from '@cit/auth';
import type { EntityManager } from 'typeorm';
import { seriesNotFound, sessionNotFound } from './series.problems';
import type { SeriesRecord, SessionRecord } from './series.record';
import { SeriesStore } from './series.store';
import { SessionStore } from './sessions/session.store';

/** Roles that may read series and sessions (partners only those of their own series). */
export const SERIES_READERS = ['officer', 'clinician', 'coordinator', 'supervisor', 'admin', 'partner'] as const;
/** Roles that run the program: cancel and move sessions. */
export const PROGRAM_ROLES = ['coordinator', 'supervisor', 'admin'] as const;

/** Staff see every series of their department; a partner only those its agency is a member of. */
export function maySee(principal: Principal, series: SeriesRecord): boolean {
  return principal.kind === 'staff' || series.members.some((m) => m.agencyId === principal.agencyId);
}

/** The series, or 404 when it is not the caller's to see (a non-member learns nothing, not even that it exists). */
export async function loadSeriesFor(
  em: EntityManager,
  principal: Principal,
  id: string,
  forUpdate = false,
): Promise<SeriesRecord> {
  const series = await SeriesStore.get(em, principal.departmentId, id, forUpdate);
  if (!series || !maySee(principal, series)) throw seriesNotFound();
  return series;
}

/** The session and its series, or 404 as for the series. */
export async function loadSessionFor(
  em: EntityManager,
  principal: Principal,
  id: string,
  forUpdate = false,
): Promise<{ series: SeriesRecord; session: SessionRecord }> {
  const session = await SessionStore.get(em, principal.departmentId, id, forUpdate);
  if (!session) throw sessionNotFound();
  const series = await SeriesStore.get(em, principal.departmentId, session.seriesId);
  if (!series || !maySee(principal, series)) throw sessionNotFound();
  return { series, session };
}
