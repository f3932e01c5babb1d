import type { AgeRange, RiskLevel, Sector, TriageCompleted, TriageNeed, TriagePathway } from '@cit/contracts';
import type { FiredRule } from '../rulesets/domain/rule-engine';
import type { ConsultationReason } from '../rulesets/domain/ruleset';

export type DecisionStatus = 'pending-review' | 'final' | 'superseded';
export type ReviewReason = 'policy' | 'consultation-required';
export type SupersedeReason = 'reclassification' | 'override';

/** A stored triage decision (ids and codes; the override reason only as ciphertext). */
export interface DecisionRecord {
  id: string;
  departmentId: string;
  incidentId: string;
  personId: string | null;
  rulesetVersion: number;
  inputDigest: string;
  riskLevel: RiskLevel;
  needs: TriageNeed[];
  pathways: TriagePathway[];
  sector: Sector | null;
  unit: string | null;
  assigneeId: string | null;
  ageRange: AgeRange;
  language: string | null;
  area: string | null;
  imminent164512j: boolean;
  consultationReasons: ConsultationReason[];
  consultedBy: string | null;
  consultedAt: Date | null;
  crisisPlanOnFile: boolean;
  fired: FiredRule[];
  decidedBy: 'rules' | 'supervisor';
  deciderId: string | null;
  status: DecisionStatus;
  reviewReason: ReviewReason | null;
  supersedesId: string | null;
  supersedeReason: SupersedeReason | null;
  supersededById: string | null;
  reasonCiphertext: string | null;
  caseId: string | null;
  correlationId: string;
  decidedAt: Date;
  emittedAt: Date | null;
}

export const DECISION_COLUMNS = `id, department_id, incident_id, person_id, ruleset_version, input_digest, risk_level, needs,
  pathways, sector, unit, assignee_id, age_range, language, area, imminent_164512j, consultation_reasons, consulted_by,
  consulted_at, crisis_plan_on_file, fired, decided_by, decider_id, status, review_reason, supersedes_id,
  supersede_reason, superseded_by_id, reason_ciphertext, case_id, correlation_id, decided_at, emitted_at`;

/* eslint-disable @typescript-eslint/no-explicit-any -- a pg row, mapped field by field */
export function decisionFromRow(r: any): DecisionRecord {
  return {
    id: r.id,
    departmentId: r.department_id,
    incidentId: r.incident_id,
    personId: r.person_id,
    rulesetVersion: r.ruleset_version,
    inputDigest: r.input_digest,
    riskLevel: r.risk_level,
    needs: r.needs,
    pathways: r.pathways,
    sector: r.sector,
    unit: r.unit,
    assigneeId: r.assignee_id,
    ageRange: r.age_range,
    language: r.language,
    area: r.area,
    imminent164512j: r.imminent_164512j,
    consultationReasons: r.consultation_reasons,
    consultedBy: r.consulted_by,
    consultedAt: r.consulted_at,
    crisisPlanOnFile: r.crisis_plan_on_file,
    fired: r.fired,
    decidedBy: r.decided_by,
    deciderId: r.decider_id,
    status: r.status,
    reviewReason: r.review_reason,
    supersedesId: r.supersedes_id,
    supersedeReason: r.supersede_reason,
    supersededById: r.superseded_by_id,
    reasonCiphertext: r.reason_ciphertext,
    caseId: r.case_id,
    correlationId: r.correlation_id,
    decidedAt: r.decided_at,
    emittedAt: r.emitted_at,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Column values of an INSERT, in DECISION_COLUMNS order. */
export function decisionValues(d: DecisionRecord): unknown[] {
  return [
    d.id,
    d.departmentId,
    d.incidentId,
    d.personId,
    d.rulesetVersion,
    d.inputDigest,
    d.riskLevel,
    d.needs,
    d.pathways,
    d.sector,
    d.unit,
    d.assigneeId,
    d.ageRange,
    d.language,
    d.area,
    d.imminent164512j,
    d.consultationReasons,
    d.consultedBy,
    d.consultedAt,
    d.crisisPlanOnFile,
    JSON.stringify(d.fired),
    d.decidedBy,
    d.deciderId,
    d.status,
    d.reviewReason,
    d.supersedesId,
    d.supersedeReason,
    d.supersededById,
    d.reasonCiphertext,
    d.caseId,
    d.correlationId,
    d.decidedAt,
    d.emittedAt,
  ];
}

export const INSERT_DECISION_SQL = `INSERT INTO triage_decision (${DECISION_COLUMNS}) VALUES (${Array.from(
  { length: 33 },
  (_, i) => `$${i + 1}`,
).join(', ')})`;

/** The decision asks for follow-up by people: a care-coordination case opens or is joined. */
export const needsFollowUp = (d: Pick<DecisionRecord, 'personId' | 'pathways'>) =>
  d.personId !== null && !d.pathways.includes('no-further-action');

/** cit.triage.completed.v1 data of a decision (no PHI: ids and codes). */
export function triageCompletedData(d: DecisionRecord): TriageCompleted {
  return {
    triageId: d.id,
    incidentId: d.incidentId,
    ...(d.personId ? { personId: d.personId } : {}),
    ...(d.caseId ? { caseId: d.caseId } : {}),
    riskLevel: d.riskLevel,
    needs: d.needs,
    pathways: d.pathways,
    ...(d.sector ? { sector: d.sector } : {}),
    ...(d.assigneeId ? { assigneeId: d.assigneeId } : {}),
    ...(d.language ? { language: d.language } : {}),
    ageRange: d.ageRange,
    ...(d.area ? { area: d.area } : {}),
    legalBasis: { imminentThreat164512j: d.imminent164512j, consent: 'not-recorded' },
    consultation: {
      required: d.consultationReasons.length > 0,
      reasons: d.consultationReasons,
      ...(d.consultedBy ? { consultedBy: d.consultedBy } : {}),
      ...(d.consultedAt ? { consultedAt: d.consultedAt.toISOString() } : {}),
    },
    crisisPlanOnFile: d.crisisPlanOnFile,
    decidedBy: d.decidedBy,
    ...(d.deciderId ? { deciderId: d.deciderId } : {}),
    rulesetVersion: d.rulesetVersion,
    ...(d.supersedesId ? { supersedes: d.supersedesId, supersedeReason: d.supersedeReason ?? 'reclassification' } : {}),
    decidedAt: d.decidedAt.toISOString(),
  };
}

/** The API view of a decision: everything but the override reason ciphertext. */
export function decisionView(d: DecisionRecord) {
  return {
    id: d.id,
    incidentId: d.incidentId,
    personId: d.personId,
    status: d.status,
    reviewReason: d.reviewReason,
    rulesetVersion: d.rulesetVersion,
    riskLevel: d.riskLevel,
    needs: d.needs,
    pathways: d.pathways,
    sector: d.sector,
    unit: d.unit,
    assigneeId: d.assigneeId,
    ageRange: d.ageRange,
    language: d.language,
    area: d.area,
    legalBasis: { imminentThreat164512j: d.imminent164512j },
    consultation: {
      required: d.consultationReasons.length > 0,
      reasons: d.consultationReasons,
      consultedBy: d.consultedBy,
      consultedAt: d.consultedAt?.toISOString() ?? null,
    },
    crisisPlanOnFile: d.crisisPlanOnFile,
    fired: d.fired,
    decidedBy: d.decidedBy,
    deciderId: d.deciderId,
    supersedes: d.supersedesId,
    supersedeReason: d.supersedeReason,
    supersededBy: d.supersededById,
    hasOverrideReason: d.reasonCiphertext !== null,
    caseId: d.caseId,
    decidedAt: d.decidedAt.toISOString(),
    emittedAt: d.emittedAt?.toISOString() ?? null,
  };
}
export type DecisionView = ReturnType<typeof decisionView>;
