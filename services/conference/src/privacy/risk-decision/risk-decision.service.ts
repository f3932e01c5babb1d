import { Injectable } from '@nestjs/common';
import { AuditTrail, currentAuditContext } from '@cit/audit';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType, RequestValidationError, type FieldError } from '@cit/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import { allowedActions, isAllowed } from '../../nominations/domain/nomination-status';
import { actionNotAllowed } from '../../nominations/nomination-problems';
import { actorOf, lockNomination } from '../../nominations/nomination.record';
import { DISCLOSED_FIELDS, identityDisclosed, riskDecided } from '../privacy-audit';
import type { RiskDecisionRequest } from './risk-decision.request';

/** What the decision answers: the case's new state and who received identity (agency ids only). */
export interface RiskDecisionResult {
  nominationId: string;
  sessionId: string;
  acutelyElevated: boolean;
  status: 'open' | 'closed';
  privacyStage: 'limited-identity' | 'redacted';
  disclosedTo: string[];
}

function notOnAgenda() {
  return new ProblemException(ProblemType.notFound, 404, 'Not found', 'The case is not on this session’s agenda.');
}

/**
 * Filter 2 of the HUB model. Not elevated: identity, reason text, contact and the risk-factor
 * list are erased for good (counts stay), the nomination closes. Elevated: each selected agency
 * — a member of the session's series with an active MOU — gets limited identity; each
 * disclosure is recorded and audited in the same transaction.
 */
@Injectable()
export class RiskDecisionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly trail: AuditTrail,
  ) {}

  async decide(sessionId: string, nominationId: string, req: RiskDecisionRequest, principal: Principal) {
    const dept = principal.departmentId;
    const by = actorOf(principal);
    const audit = currentAuditContext();
    if (!audit) throw new Error('RiskDecisionService: no audit context (route must be @AuditInService)');
    return tenantTransaction(this.dataSource, dept, async (em): Promise<RiskDecisionResult> => {
      const [session]: Array<{ series_id: string }> = await em.query(
        `SELECT s.series_id FROM conference_session s
           JOIN agenda_item a ON a.department_id = s.department_id AND a.session_id = s.id AND a.nomination_id = $3
          WHERE s.department_id = $1 AND s.id = $2`,
        [dept, sessionId, nominationId],
      );
      if (!session) throw notOnAgenda();
      const n = await lockNomination(em, dept, nominationId);
      if (!isAllowed('risk-decision', n.status, n.privacy_stage)) {
        throw actionNotAllowed('risk-decision', n.status, allowedActions(n.status, n.privacy_stage));
      }
      if (!req.acutelyElevated) {
        await em.query(
          `UPDATE nomination SET privacy_stage = 'redacted', status = 'closed', closed_at = now(),
                  closed_status = 'not-acutely-elevated', name_ciphertext = NULL, birth_date_ciphertext = NULL,
                  reason_text_ciphertext = NULL, contact_ciphertext = NULL, risk_factors = '{}',
                  agencies_mobilized_count = $3, services_mobilized_count = $4, updated_at = now(),
                  version = version + 1
            WHERE department_id = $1 AND id = $2`,
          [dept, nominationId, req.selectedAgencyIds.length, req.servicesMobilized],
        );
        await recordStep(em, dept, nominationId, 'redacted', sessionId, [], by);
        await this.trail.append(em, audit, [riskDecided(nominationId, n.person_id, true)]);
        return {
          nominationId,
          sessionId,
          acutelyElevated: false,
          status: 'closed',
          privacyStage: 'redacted',
          disclosedTo: [],
        };
      }
      await assertAgenciesMayReceive(em, dept, session.series_id, req.selectedAgencyIds);
      await em.query(
        `INSERT INTO identity_disclosure (department_id, nomination_id, agency_id, session_id, role, fields, disclosed_by)
         SELECT $1, $2, agency_id, $3, 'selected', $5::text[], $6 FROM unnest($4::text[]) AS a(agency_id)
         ON CONFLICT (department_id, nomination_id, agency_id, role) DO NOTHING`,
        [dept, nominationId, sessionId, req.selectedAgencyIds, [...DISCLOSED_FIELDS.selected], by],
      );
      await em.query(
        `UPDATE nomination SET privacy_stage = 'limited-identity', agencies_mobilized_count = $3,
                services_mobilized_count = $4, updated_at = now(), version = version + 1
          WHERE department_id = $1 AND id = $2`,
        [dept, nominationId, req.selectedAgencyIds.length, req.servicesMobilized],
      );
      await recordStep(em, dept, nominationId, 'limited-identity', sessionId, req.selectedAgencyIds, by);
      await this.trail.append(em, audit, [
        riskDecided(nominationId, n.person_id, false),
        ...req.selectedAgencyIds.map((a) => identityDisclosed(nominationId, a, 'selected', n.person_id)),
      ]);
      return {
        nominationId,
        sessionId,
        acutelyElevated: true,
        status: 'open',
        privacyStage: 'limited-identity',
        disclosedTo: [...req.selectedAgencyIds],
      };
    });
  }
}

/** 400 naming selectedAgencyIds[i] for each agency not at this table or without an active MOU today. */
async function assertAgenciesMayReceive(
  em: EntityManager,
  dept: string,
  seriesId: string,
  agencyIds: readonly string[],
): Promise<void> {
  const rows: Array<{ agency_id: string; ord: string; member: boolean; mou: boolean }> = await em.query(
    `SELECT a.agency_id, a.ord,
            EXISTS (SELECT 1 FROM conference_series_member m
                     WHERE m.department_id = $1 AND m.series_id = $2 AND m.agency_id = a.agency_id) AS member,
            EXISTS (SELECT 1 FROM conference_agency c
                     WHERE c.department_id = $1 AND c.agency_id = a.agency_id AND c.mou_status = 'active'
                       AND c.expires_on >= current_date) AS mou
       FROM unnest($3::text[]) WITH ORDINALITY AS a(agency_id, ord)
      ORDER BY a.ord`,
    [dept, seriesId, agencyIds],
  );
  const errors: FieldError[] = [];
  for (const r of rows) {
    const field = `selectedAgencyIds[${Number(r.ord) - 1}]`;
    if (!r.member) errors.push({ field, detail: 'is not a member agency of this session’s series' });
    else if (!r.mou)
      errors.push({ field, detail: 'has no active MOU with the department: it may not receive identity' });
  }
  if (errors.length > 0) throw new RequestValidationError(errors);
}

async function recordStep(
  em: EntityManager,
  dept: string,
  nominationId: string,
  action: 'redacted' | 'limited-identity',
  sessionId: string,
  agencyIds: readonly string[],
  by: string,
): Promise<void> {
  await em.query(
    `INSERT INTO privacy_step (department_id, nomination_id, filter, action, session_id, agency_ids, recorded_by)
     VALUES ($1, $2, 2, $3, $4, $5::text[], $6)`,
    [dept, nominationId, action, sessionId, agencyIds, by],
  );
}
