import type { CaseRecord } from './case.record';

/** A case as the API shows it in lists (ids and codes, no PHI). */
export function caseSummaryView(c: CaseRecord) {
  return {
    id: c.id,
    personId: c.personId,
    status: c.status,
    source: c.source,
    riskLevel: c.riskLevel,
    needs: c.needs,
    pathway: c.pathway ?? undefined,
    assignedTo: c.assignedTo ?? undefined,
    cadence: c.cadence,
    openedAt: c.openedAt.toISOString(),
    openedBy: c.openedBy,
    updatedAt: c.updatedAt.toISOString(),
    lastContactAt: c.lastContactAt?.toISOString(),
    closedAt: c.closedAt?.toISOString(),
    closedBy: c.closedBy ?? undefined,
    transferredToAgencyId: c.transferredToAgencyId ?? undefined,
    version: c.version,
  };
}
