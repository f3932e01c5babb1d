import { NotFoundException } from '@nestjs/common';
import type { CaseSource, CaseStatus, riskLevelSchema } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';

export type RiskLevel = z.infer<typeof riskLevelSchema>;

/** A care_case row as the use cases handle it (ids and codes only; the case row holds no PHI). */
export interface CaseRecord {
  id: string;
  departmentId: string;
  personId: string;
  status: CaseStatus;
  source: CaseSource;
  riskLevel: RiskLevel;
  needs: string[];
  pathway: string | null;
  assignedTo: string | null;
  cadence: string[];
  openedAt: Date;
  openedBy: string;
  updatedAt: Date;
  lastContactAt: Date | null;
  closedAt: Date | null;
  closedBy: string | null;
  transferredToAgencyId: string | null;
  version: number;
}

export const CASE_COLUMNS = `id, department_id, person_id, status, source, risk_level, needs, pathway, assigned_to, cadence,
  opened_at, opened_by, updated_at, last_contact_at, closed_at, closed_by, transferred_to_agency_id, version`;

interface CaseRow {
  id: string;
  department_id: string;
  person_id: string;
  status: CaseStatus;
  source: CaseSource;
  risk_level: RiskLevel;
  needs: string[];
  pathway: string | null;
  assigned_to: string | null;
  cadence: string[];
  opened_at: Date;
  opened_by: string;
  updated_at: Date;
  last_contact_at: Date | null;
  closed_at: Date | null;
  closed_by: string | null;
  transferred_to_agency_id: string | null;
  version: number;
}

/** Maps a care_case row (CASE_COLUMNS) to a CaseRecord. */
export function caseFromRow(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    departmentId: r.department_id,
    personId: r.person_id,
    status: r.status,
    source: r.source,
    riskLevel: r.risk_level,
    needs: r.needs,
    pathway: r.pathway,
    assignedTo: r.assigned_to,
    cadence: r.cadence,
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    updatedAt: r.updated_at,
    lastContactAt: r.last_contact_at,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    transferredToAgencyId: r.transferred_to_agency_id,
    version: r.version,
  };
}

/** Maps a care_case row read as JSON (to_jsonb: timestamps as text) to a CaseRecord. */
export function caseFromJson(j: Record<string, unknown>): CaseRecord {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return caseFromRow({
    ...(j as unknown as CaseRow),
    opened_at: date(j.opened_at)!,
    updated_at: date(j.updated_at)!,
    last_contact_at: date(j.last_contact_at),
    closed_at: date(j.closed_at),
  });
}

/** The case, locked for the rest of the transaction; 404 when it is not the department's. */
export async function lockCase(em: EntityManager, departmentId: string, caseId: string): Promise<CaseRecord> {
  const rows: CaseRow[] = await em.query(
    `SELECT ${CASE_COLUMNS} FROM care_case WHERE department_id = $1 AND id = $2 FOR UPDATE`,
    [departmentId, caseId],
  );
  if (!rows[0]) throw new NotFoundException('case not found');
  return caseFromRow(rows[0]);
}

/** Reads cases by a WHERE clause over care_case (the caller's parameters). */
export async function selectCases(
  em: EntityManager,
  where: string,
  params: unknown[],
  tail = '',
): Promise<CaseRecord[]> {
  const rows: CaseRow[] = await em.query(`SELECT ${CASE_COLUMNS} FROM care_case WHERE ${where} ${tail}`, params);
  return rows.map(caseFromRow);
}

/**
 * Serializes case work for one person of one department until the transaction ends: two
 * decisions for the same person at once must end in one case, not two.
 */
export async function lockPerson(em: EntityManager, departmentId: string, personId: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('care_case'), hashtext($1 || '/' || $2))`, [
    departmentId,
    personId,
  ]);
}

/** TypeORM's postgres driver answers UPDATE ... RETURNING with [rows, affected]. */
export async function updateReturning<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await em.query(sql, params)) as [T[], number];
  return rows;
}
