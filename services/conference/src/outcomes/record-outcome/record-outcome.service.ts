import { Injectable } from '@nestjs/common';
import { AuditTrail, currentAuditContext } from '@cit/audit';
import type { Principal } from '@cit/auth';
import { buildEvent, newId } from '@cit/contracts';
import { currentContext } from '@cit/observability';
import { OutboxWriter } from '@cit/messaging';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { databaseErrorCode, ProblemException, ProblemType, RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { AgendaScheduler, lockDepartmentAgenda } from '../../agenda/agenda-scheduler';
import { recordPlanningAgencies } from '../../privacy/planning-agencies';
import { actorOf, loadSessionFor } from '../../agenda/session-access';
import { outcomeFieldErrors } from '../outcome-rules';
import {
  actionItemAad,
  ACTION_ITEM_COLUMNS,
  OUTCOME_COLUMNS,
  outcomeView,
  type ActionItemRow,
  type OutcomeRow,
  type OutcomeView,
} from '../outcome.view';
import { outcomeWritten } from '../outcomes-audit';
import { CLOSING_STATUSES, type RecordOutcomeRequest } from './record-outcome.request';

const conflict = (detail: string, allowed?: readonly string[]) =>
  new ProblemException(ProblemType.conflict, 409, 'Conflict', detail, allowed ? { allowed } : {});

/**
 * Records the table's outcome for a case found at acutely elevated risk: lead and assisting
 * agencies (filters 3/4), action items (they become reminders in followup), and where the
 * case stands. Connected, mitigated or refused close the nomination; carry-over keeps it open
 * and places it again, as a status update, on the next session with room. The agenda item,
 * the nomination, the outcome and cit.conference.outcome-recorded.v1 commit together.
 */
@Injectable()
export class RecordOutcomeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly outbox: OutboxWriter,
    private readonly trail: AuditTrail,
    private readonly scheduler: AgendaScheduler,
  ) {}

  async record(
    sessionId: string,
    nominationId: string,
    req: RecordOutcomeRequest,
    principal: Principal,
    now = new Date(),
  ): Promise<OutcomeView> {
    const dept = principal.departmentId;
    const audit = currentAuditContext();
    const ctx = {
      departmentId: dept,
      correlationId: currentContext()?.correlationId ?? newId('cor'),
      causationId: currentContext()?.requestId,
    };
    try {
      return await tenantTransaction(this.dataSource, dept, async (em) => {
        // The agenda lock first (as every placement takes it), then the rows: no lock-order deadlock.
        await lockDepartmentAgenda(em, dept);
        await loadSessionFor(em, principal, sessionId);
        const items: Array<{ status: string }> = await em.query(
          `SELECT status FROM agenda_item WHERE department_id = $1 AND session_id = $2 AND nomination_id = $3 FOR UPDATE`,
          [dept, sessionId, nominationId],
        );
        const item = items[0];
        if (!item)
          throw new ProblemException(
            ProblemType.notFound,
            404,
            'Not found',
            'The case is not on this session’s agenda.',
          );
        if (item.status === 'discussed')
          throw conflict('An outcome is already recorded for this case at this session.');
        if (item.status === 'moved') throw conflict('The case was moved to another session: record its outcome there.');
        if (item.status === 'carried-over')
          throw conflict(
            'The session passed without an outcome and the case was carried over: record it at its next session.',
          );

        const nominations: Array<{
          status: string;
          privacy_stage: string;
          triage_case_id: string | null;
          person_id: string | null;
        }> = await em.query(
          `SELECT status, privacy_stage, triage_case_id, person_id FROM nomination
            WHERE department_id = $1 AND id = $2 FOR UPDATE`,
          [dept, nominationId],
        );
        const n = nominations[0]!;
        if (n.status !== 'open') throw conflict(`The nomination is ${n.status}.`);
        if (n.privacy_stage !== 'limited-identity' && n.privacy_stage !== 'planning')
          throw conflict(
            'The table has not found the risk acutely elevated (filter 2): an outcome follows that decision.',
          );
        const selected: Array<{ agency_id: string }> = await em.query(
          `SELECT DISTINCT agency_id FROM identity_disclosure
            WHERE department_id = $1 AND nomination_id = $2 AND role = 'selected'`,
          [dept, nominationId],
        );
        const errors = outcomeFieldErrors(req, new Set(selected.map((s) => s.agency_id)), now);
        if (errors.length > 0) throw new RequestValidationError(errors);

        if (!audit) throw new Error('RecordOutcomeService: no audit context (route must be @AuditInService)');
        const by = actorOf(principal);
        const caseId = n.triage_case_id ?? nominationId;
        const outcomeId = newId('out');
        const [outcome]: OutcomeRow[] = await em.query(
          `INSERT INTO conference_outcome (department_id, id, session_id, nomination_id, case_id, status, lead_agency_id,
                                           assisting_agency_ids, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${OUTCOME_COLUMNS}`,
          [dept, outcomeId, sessionId, nominationId, caseId, req.status, req.leadAgencyId, req.assistingAgencyIds, by],
        );
        const actionIds = req.actionItems.map(() => newId('act'));
        const actionRows: ActionItemRow[] = req.actionItems.length
          ? await em.query(
              `INSERT INTO action_item (department_id, id, outcome_id, session_id, nomination_id, owner_agency_id, kind,
                                        description_ciphertext, due_at)
               SELECT $1, id, $2, $3, $4, owner, kind, description, due
                 FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
                      WITH ORDINALITY AS a(id, owner, kind, description, due, ord)
                ORDER BY ord
               RETURNING ${ACTION_ITEM_COLUMNS}`,
              [
                dept,
                outcomeId,
                sessionId,
                nominationId,
                actionIds,
                req.actionItems.map((a) => a.ownerAgencyId),
                req.actionItems.map((a) => a.kind),
                req.actionItems.map((a, i) => this.cipher.encrypt(a.description, actionItemAad(dept, actionIds[i]!))),
                req.actionItems.map((a) => a.dueAt),
              ],
            )
          : [];
        await em.query(
          `UPDATE agenda_item SET status = 'discussed', updated_at = now()
            WHERE department_id = $1 AND session_id = $2 AND nomination_id = $3`,
          [dept, sessionId, nominationId],
        );
        // Filters 3/4: the lead and assisting agencies get what planning needs (disclosures,
        // privacy steps and their audit, privacy stage planning).
        await recordPlanningAgencies(
          em,
          { departmentId: dept, trail: this.trail, audit },
          nominationId,
          sessionId,
          req.leadAgencyId,
          req.assistingAgencyIds,
          by,
        );
        const closes = CLOSING_STATUSES.includes(req.status);
        if (closes)
          await em.query(
            `UPDATE nomination SET status = 'closed', closed_at = now(), closed_status = $3, updated_at = now(),
                    version = version + 1
              WHERE department_id = $1 AND id = $2`,
            [dept, nominationId, req.status],
          );
        await this.outbox.append(
          em,
          buildEvent(
            'cit.conference.outcome-recorded.v1',
            sessionId,
            {
              sessionId,
              caseId,
              nominationId,
              decision: 'acutely-elevated-risk',
              leadAgencyId: req.leadAgencyId,
              assistingAgencyIds: req.assistingAgencyIds,
              actionItems: actionRows.map((a) => ({
                actionItemId: a.id,
                ownerAgencyId: a.owner_agency_id,
                dueAt: a.due_at.toISOString(),
                kind: a.kind,
              })),
              status: req.status,
            },
            ctx,
          ),
        );
        // Carried over: back on the next session with room, as a status update.
        if (!closes) await this.scheduler.placeOpenNominations(em, ctx);
        await this.trail.append(em, audit, outcomeWritten(outcomeId, n.person_id, actionRows.length > 0));
        return outcomeView(dept, outcome!, actionRows, this.cipher);
      });
    } catch (err) {
      // Two coordinators recording the same case at once: the second meets the unique key.
      if (databaseErrorCode(err) === '23505')
        throw conflict('An outcome is already recorded for this case at this session.');
      throw err;
    }
  }
}
