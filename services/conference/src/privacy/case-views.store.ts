import type { AuditContext, AuditEntryInput, AuditTrail } from '@cit/audit';
import type { FieldCipher } from '@cit/persistence';
import type { EntityManager } from 'typeorm';
import { nominationPhiPlace, type NominationPhiColumn } from './phi-places';
import {
  caseView,
  caseViewLevel,
  LEVEL_FIELDS,
  type CaseDisclosure,
  type CaseFacts,
  type CaseView,
  type CaseViewer,
  type DecryptedIdentity,
  type IdentityField,
} from './case-view';

/** How the store reads and accounts for identity: the cipher to decrypt it, the audit to record it. */
export interface CaseViewAudit {
  cipher: FieldCipher;
  trail: AuditTrail;
  /** The request's audit context (currentAuditContext() under @AuditInService). */
  context: AuditContext;
}

/** The nomination columns case views read (plain and encrypted). */
export interface NominationViewRow {
  id: string;
  person_id: string | null;
  triage_case_id: string | null;
  status: CaseFacts['status'];
  privacy_stage: CaseFacts['privacyStage'];
  source: CaseFacts['source'];
  source_agency_id: string | null;
  series_kind: string | null;
  risk_level: string;
  risk_factors: string[];
  risk_factor_count: number;
  age_range: string | null;
  gender: string;
  reason_code: string;
  agencies_mobilized_count: number;
  services_mobilized_count: number;
  created_at: Date;
  closed_status: string | null;
  name_ciphertext: string | null;
  birth_date_ciphertext: string | null;
  reason_text_ciphertext: string | null;
  contact_ciphertext: string | null;
  name_subject_id: string | null;
  birth_date_subject_id: string | null;
}

/** The SELECT list of NominationViewRow. */
export const NOMINATION_VIEW_COLUMNS = `n.id, n.person_id, n.triage_case_id, n.status, n.privacy_stage, n.source,
  n.source_agency_id, n.series_kind, n.risk_level, n.risk_factors, n.risk_factor_count, n.age_range, n.gender,
  n.reason_code, n.agencies_mobilized_count, n.services_mobilized_count, n.created_at, n.closed_status,
  n.name_ciphertext, n.birth_date_ciphertext, n.reason_text_ciphertext, n.contact_ciphertext, n.name_subject_id,
  n.birth_date_subject_id`;

const CIPHER_COLUMN: Record<IdentityField, NominationPhiColumn> = {
  name: 'name_ciphertext',
  birthDate: 'birth_date_ciphertext',
  reasonText: 'reason_text_ciphertext',
  contact: 'contact_ciphertext',
};

/** The plain facts of a row; tableMemberAgencyIds as the caller established them. */
export function caseFactsOf(row: NominationViewRow, tableMemberAgencyIds: readonly string[]): CaseFacts {
  return {
    nominationId: row.id,
    caseId: row.triage_case_id ?? row.id,
    status: row.status,
    privacyStage: row.privacy_stage,
    source: row.source,
    sourceAgencyId: row.source_agency_id,
    seriesKind: row.series_kind,
    riskLevel: row.risk_level,
    riskFactors: row.risk_factors,
    riskFactorCount: row.risk_factor_count,
    ageRange: row.age_range,
    gender: row.gender,
    reasonCode: row.reason_code,
    agenciesMobilizedCount: row.agencies_mobilized_count,
    servicesMobilizedCount: row.services_mobilized_count,
    createdAt: new Date(row.created_at).toISOString(),
    closedStatus: row.closed_status,
    tableMemberAgencyIds,
    hasIdentity: row.name_ciphertext !== null || row.birth_date_ciphertext !== null,
  };
}

/** Disclosures of the given nominations, by nomination id. */
export async function loadDisclosures(
  em: EntityManager,
  departmentId: string,
  nominationIds: readonly string[],
): Promise<Map<string, CaseDisclosure[]>> {
  const rows: Array<{ nomination_id: string; agency_id: string; session_id: string; role: CaseDisclosure['role'] }> =
    await em.query(
      `SELECT nomination_id, agency_id, session_id, role FROM identity_disclosure
        WHERE department_id = $1 AND nomination_id = ANY($2::text[]) ORDER BY id`,
      [departmentId, nominationIds],
    );
  const byId = new Map<string, CaseDisclosure[]>();
  for (const r of rows) {
    const list = byId.get(r.nomination_id) ?? [];
    list.push({ agencyId: r.agency_id, sessionId: r.session_id, role: r.role });
    byId.set(r.nomination_id, list);
  }
  return byId;
}

/** The nominations (of the given ones) on the agenda of a session of a series the agency is a member of. */
async function tabledForAgency(
  em: EntityManager,
  departmentId: string,
  nominationIds: readonly string[],
  agencyId: string,
): Promise<Set<string>> {
  const rows: Array<{ nomination_id: string }> = await em.query(
    `SELECT DISTINCT ai.nomination_id
       FROM agenda_item ai
       JOIN conference_session s ON s.department_id = ai.department_id AND s.id = ai.session_id
       JOIN conference_series_member m
         ON m.department_id = s.department_id AND m.series_id = s.series_id AND m.agency_id = $3
      WHERE ai.department_id = $1 AND ai.nomination_id = ANY($2::text[])`,
    [departmentId, nominationIds, agencyId],
  );
  return new Set(rows.map((r) => r.nomination_id));
}

/**
 * Decrypts what the chosen level shows and nothing else; the audit entry names exactly those
 * fields. Runs in the caller's transaction (the audit entries commit with it).
 */
function decryptFor(
  departmentId: string,
  row: NominationViewRow,
  fields: readonly IdentityField[],
  cipher: FieldCipher,
): DecryptedIdentity {
  const out: DecryptedIdentity = {};
  for (const f of fields) {
    const column = CIPHER_COLUMN[f];
    const token = row[column];
    const subjectId =
      column === 'name_ciphertext'
        ? row.name_subject_id
        : column === 'birth_date_ciphertext'
          ? row.birth_date_subject_id
          : null;
    out[f] = token === null ? null : cipher.decrypt(token, nominationPhiPlace(departmentId, row.id, column, subjectId));
  }
  return out;
}

/**
 * The views the viewer may see of the given nominations (absent from the map = nothing to see),
 * decrypting and auditing only what is shown. `em` must be a tenant transaction of departmentId.
 */
export async function loadCaseViews(
  em: EntityManager,
  departmentId: string,
  nominationIds: readonly string[],
  viewer: CaseViewer,
  audit: CaseViewAudit,
): Promise<Map<string, CaseView>> {
  const views = new Map<string, CaseView>();
  if (nominationIds.length === 0) return views;
  const ids = [...new Set(nominationIds)];
  const rows: NominationViewRow[] = await em.query(
    `SELECT ${NOMINATION_VIEW_COLUMNS} FROM nomination n WHERE n.department_id = $1 AND n.id = ANY($2::text[])`,
    [departmentId, ids],
  );
  if (rows.length === 0) return views;
  const disclosures = await loadDisclosures(em, departmentId, ids);
  const tabled = viewer.kind === 'partner' ? await tabledForAgency(em, departmentId, ids, viewer.agencyId) : null;

  const entries: AuditEntryInput[] = [];
  for (const row of rows) {
    const members = viewer.kind === 'partner' && tabled!.has(row.id) ? [viewer.agencyId] : [];
    const facts = caseFactsOf(row, members);
    const own = disclosures.get(row.id) ?? [];
    const level = caseViewLevel(facts, own, viewer);
    if (level === null) continue;
    const fields = LEVEL_FIELDS[level].filter((f) => row[CIPHER_COLUMN[f]] !== null);
    const view = caseView(facts, own, viewer, decryptFor(departmentId, row, fields, audit.cipher));
    if (!view) continue;
    views.set(row.id, view);
    if (fields.length > 0) {
      entries.push({
        action: 'read',
        recordType: 'nomination',
        recordId: row.id,
        personIds: row.person_id ? [row.person_id] : [],
        fields,
      });
    }
  }
  if (entries.length > 0) await audit.trail.append(em, audit.context, entries);
  return views;
}
