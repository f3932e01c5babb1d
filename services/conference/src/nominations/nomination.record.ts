import { newId } from '@cit/contracts';
import { currentContext } from '@cit/observability';
import type { EntityManager } from 'typeorm';
import { NOMINATION_VIEW_COLUMNS, type NominationViewRow } from '../privacy/case-views.store';
import type { NominationStatus } from './domain/nomination-status';
import { nominationNotFound } from './nomination-problems';

/** A nomination row as the nominations area reads it (the view columns and its bookkeeping). */
export interface NominationRow extends NominationViewRow {
  person_key: string;
  nomination_request_id: string | null;
  submitted_by: string | null;
  relationship: string | null;
  linked_nomination_id: string | null;
  rejection_reason: string | null;
  verified_at: Date | null;
  verified_by: string | null;
  closed_at: Date | null;
  updated_at: Date;
  version: number;
  status: NominationStatus;
}

/** The SELECT list of NominationRow (alias n). */
export const NOMINATION_COLUMNS = `${NOMINATION_VIEW_COLUMNS}, n.person_key, n.nomination_request_id, n.submitted_by,
  n.relationship, n.linked_nomination_id, n.rejection_reason, n.verified_at, n.verified_by, n.closed_at, n.updated_at,
  n.version`;

/** Locks a nomination of the department for a change (404 when it is not there). */
export async function lockNomination(em: EntityManager, departmentId: string, id: string): Promise<NominationRow> {
  const rows: NominationRow[] = await em.query(
    `SELECT ${NOMINATION_COLUMNS} FROM nomination n WHERE n.department_id = $1 AND n.id = $2 FOR UPDATE`,
    [departmentId, id],
  );
  if (!rows[0]) throw nominationNotFound();
  return rows[0];
}

/** The open nomination of a person, locked (null when there is none); several keys during a blind-index rotation. */
export async function lockOpenNominationOf(
  em: EntityManager,
  departmentId: string,
  personKey: string | readonly string[],
): Promise<NominationRow | null> {
  const rows: NominationRow[] = await em.query(
    `SELECT ${NOMINATION_COLUMNS} FROM nomination n
      WHERE n.department_id = $1 AND n.person_key = ANY($2::text[]) AND n.status = 'open' FOR UPDATE`,
    [departmentId, typeof personKey === 'string' ? [personKey] : personKey],
  );
  return rows[0] ?? null;
}

/** Who acted, as stored: a staff subject or a partner agency (never a name). */
export function actorOf(principal: { kind: string; subject: string; agencyId?: string }): string {
  return principal.kind === 'partner' ? `agency:${principal.agencyId}` : principal.subject;
}

/** The scheduling context of a request: its department and correlation id (for the events it causes). */
export function requestSchedulingContext(departmentId: string): { departmentId: string; correlationId: string } {
  return { departmentId, correlationId: currentContext()?.correlationId ?? newId('cor') };
}

/** Rows of an UPDATE or DELETE … RETURNING (TypeORM answers those as [rows, rowCount]). */
export async function changedRows<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await em.query(sql, params)) as [T[], number];
  return rows;
}
