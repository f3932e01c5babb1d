import type { DisclosureCategory, LegalBasis, ReferralOutcome, ReferralStatus } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import type { Statement } from './folded-statement';
import type { HipaaChecklist } from '../disclosure/minimum-necessary';
import type { Candidate, RoutingDecision } from '../routing/routing';
import type { Urgency } from '../sla/sla';

export interface ReferralRecord {
  id: string;
  seq: string;
  departmentId: string;
  requestId: string;
  triageId: string | null;
  personId: string | null;
  caseId: string | null;
  agencyId: string;
  serviceId: string;
  mouId: string;
  status: ReferralStatus;
  urgency: Urgency;
  riskLevel: string;
  needs: string[];
  kinds: string[];
  language: string | null;
  ageRange: string;
  area: string | null;
  imminentThreatFlag: boolean;
  legalBasis: LegalBasis;
  categories: DisclosureCategory[];
  fields: string[];
  part2Notice: boolean;
  checklist: HipaaChecklist;
  ranking: RoutingDecision;
  score: Candidate;
  chosenBy: 'routing' | 'coordinator';
  attempt: number;
  reroutedFrom: string | null;
  reroutedTo: string | null;
  receiveBy: Date | null;
  acceptBy: Date;
  slaEscalatedAt: Date | null;
  outcome: ReferralOutcome | null;
  reasonCode: string | null;
  packetCiphertext: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS: [keyof ReferralRecord, string][] = [
  ['id', 'id'],
  ['seq', 'seq'],
  ['departmentId', 'department_id'],
  ['requestId', 'request_id'],
  ['triageId', 'triage_id'],
  ['personId', 'person_id'],
  ['caseId', 'case_id'],
  ['agencyId', 'agency_id'],
  ['serviceId', 'service_id'],
  ['mouId', 'mou_id'],
  ['status', 'status'],
  ['urgency', 'urgency'],
  ['riskLevel', 'risk_level'],
  ['needs', 'needs'],
  ['kinds', 'kinds'],
  ['language', 'language'],
  ['ageRange', 'age_range'],
  ['area', 'area'],
  ['imminentThreatFlag', 'imminent_threat_flag'],
  ['legalBasis', 'legal_basis'],
  ['categories', 'categories'],
  ['fields', 'fields'],
  ['part2Notice', 'part2_notice'],
  ['checklist', 'checklist'],
  ['ranking', 'ranking'],
  ['score', 'score'],
  ['chosenBy', 'chosen_by'],
  ['attempt', 'attempt'],
  ['reroutedFrom', 'rerouted_from'],
  ['reroutedTo', 'rerouted_to'],
  ['receiveBy', 'receive_by'],
  ['acceptBy', 'accept_by'],
  ['slaEscalatedAt', 'sla_escalated_at'],
  ['outcome', 'outcome'],
  ['reasonCode', 'reason_code'],
  ['packetCiphertext', 'packet_ciphertext'],
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
];
const SELECT = COLUMNS.map(([k, c]) => (k === c ? c : `${c} AS "${k}"`)).join(', ');
const INSERTABLE = COLUMNS.filter(([k]) => !['seq', 'createdAt', 'updatedAt', 'slaEscalatedAt'].includes(k));

export type NewReferral = Omit<ReferralRecord, 'seq' | 'createdAt' | 'updatedAt' | 'slaEscalatedAt'>;

const JSON_COLUMNS = new Set(['checklist', 'ranking', 'score']);

export const ReferralStore = {
  /** The INSERT of a new referral, RETURNING the stored record (for runFolded). */
  insertStatement(r: NewReferral): Statement {
    const row = r as unknown as Record<string, unknown>;
    return {
      sql: `INSERT INTO referral (${INSERTABLE.map(([, c]) => c).join(', ')})
            VALUES (${INSERTABLE.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${SELECT}`,
      params: INSERTABLE.map(([k]) => (JSON_COLUMNS.has(k) ? JSON.stringify(row[k]) : row[k])),
    };
  },

  changeStatement(
    departmentId: string,
    referralId: string,
    c: { from: ReferralStatus; to: ReferralStatus; by: string; actor: string; reasonCode?: string; outcome?: string },
  ): Statement {
    return {
      sql: `INSERT INTO referral_status_change (department_id, referral_id, from_status, to_status, changed_by, actor, reason_code, outcome)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      params: [departmentId, referralId, c.from, c.to, c.by, c.actor, c.reasonCode ?? null, c.outcome ?? null],
    };
  },

  async get(em: EntityManager, departmentId: string, id: string, lock = false): Promise<ReferralRecord | undefined> {
    const rows = (await em.query(
      `SELECT ${SELECT} FROM referral WHERE department_id = $1 AND id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [departmentId, id],
    )) as ReferralRecord[];
    return rows[0];
  },

  /** A partner's referrals after a seq, oldest first (keyset paging). */
  async forAgency(em: EntityManager, departmentId: string, agencyId: string, afterSeq: string, limit: number) {
    return (await em.query(
      `SELECT ${SELECT} FROM referral WHERE department_id = $1 AND agency_id = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
      [departmentId, agencyId, afterSeq, limit],
    )) as ReferralRecord[];
  },

  async openForCase(em: EntityManager, departmentId: string, caseId: string) {
    return (await em.query(
      `SELECT ${SELECT} FROM referral WHERE department_id = $1 AND case_id = $2
          AND status IN ('requested', 'received', 'accepted', 'in-progress', 'on-hold') ORDER BY seq FOR UPDATE`,
      [departmentId, caseId],
    )) as ReferralRecord[];
  },

  async openForTriage(em: EntityManager, departmentId: string, triageId: string) {
    return (await em.query(
      `SELECT ${SELECT} FROM referral WHERE department_id = $1 AND triage_id = $2
          AND status IN ('requested', 'received', 'accepted', 'in-progress', 'on-hold') ORDER BY seq FOR UPDATE`,
      [departmentId, triageId],
    )) as ReferralRecord[];
  },

  async agenciesTried(em: EntityManager, departmentId: string, requestId: string): Promise<string[]> {
    const rows = (await em.query(
      'SELECT DISTINCT agency_id FROM referral WHERE department_id = $1 AND request_id = $2',
      [departmentId, requestId],
    )) as { agency_id: string }[];
    return rows.map((r) => r.agency_id);
  },

  async setStatus(
    em: EntityManager,
    departmentId: string,
    id: string,
    change: {
      status: ReferralStatus;
      outcome?: ReferralOutcome;
      reasonCode?: string;
      slaEscalated?: boolean;
      reroutedTo?: string;
    },
  ): Promise<void> {
    await em.query(
      `UPDATE referral SET status = $3, outcome = COALESCE($4, outcome), reason_code = COALESCE($5, reason_code),
              sla_escalated_at = CASE WHEN $6 THEN now() ELSE sla_escalated_at END,
              rerouted_to = COALESCE($7, rerouted_to), updated_at = now()
        WHERE department_id = $1 AND id = $2`,
      [
        departmentId,
        id,
        change.status,
        change.outcome ?? null,
        change.reasonCode ?? null,
        change.slaEscalated ?? false,
        change.reroutedTo ?? null,
      ],
    );
  },

  async setReroutedTo(em: EntityManager, departmentId: string, id: string, to: string): Promise<void> {
    await em.query('UPDATE referral SET rerouted_to = $3, updated_at = now() WHERE department_id = $1 AND id = $2', [
      departmentId,
      id,
      to,
    ]);
  },

  async recordChange(
    em: EntityManager,
    departmentId: string,
    referralId: string,
    c: { from: ReferralStatus; to: ReferralStatus; by: string; actor: string; reasonCode?: string; outcome?: string },
  ): Promise<void> {
    const st = ReferralStore.changeStatement(departmentId, referralId, c);
    await em.query(st.sql, st.params);
  },

  async history(em: EntityManager, departmentId: string, referralId: string) {
    return (await em.query(
      `SELECT from_status AS "from", to_status AS "to", changed_by AS "changedBy", reason_code AS "reasonCode",
              outcome, changed_at AS "changedAt"
         FROM referral_status_change WHERE department_id = $1 AND referral_id = $2 ORDER BY seq`,
      [departmentId, referralId],
    )) as {
      from: string;
      to: string;
      changedBy: string;
      reasonCode: string | null;
      outcome: string | null;
      changedAt: Date;
    }[];
  },

  async alert(
    em: EntityManager,
    departmentId: string,
    a: {
      id: string;
      kind: string;
      audience: 'supervisor' | 'coordinator' | 'agency' | 'ops';
      agencyId?: string;
      referralId?: string;
      requestId?: string;
    },
  ): Promise<void> {
    await em.query(
      `INSERT INTO referral_alert (department_id, id, kind, audience, agency_id, referral_id, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [departmentId, a.id, a.kind, a.audience, a.agencyId ?? null, a.referralId ?? null, a.requestId ?? null],
    );
  },
};
