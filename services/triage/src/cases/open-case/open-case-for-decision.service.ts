import { Injectable } from '@nestjs/common';
import { newId, riskLevelSchema } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import type { EntityManager } from 'typeorm';
import { ContactPreferenceStore } from '../../persons/contact-preferences/contact-preference.store';
import { caseOpenedEvent, caseUpdatedEvent, type CaseEventMeta } from '../case-events';
import { ACTIVE_CASE_STATUSES } from '../case-status.machine';
import { CaseSettingsReader } from '../case-settings';
import {
  lockPerson,
  selectCases,
  updateReturning,
  type CaseRecord,
  type RiskLevel,
  CASE_COLUMNS,
  caseFromRow,
} from '../case.record';
import { joinDecision } from './case-join';

/** A triage decision that needs follow-up. */
export interface OpenCaseForDecisionInput {
  departmentId: string;
  personId: string;
  incidentId: string;
  decisionId: string;
  riskLevel: string;
  needs: string[];
  pathway: string;
  source: 'triage';
  /** Correlation of the consumed event (default: the current context's). */
  correlationId?: string;
  causationId?: string;
}

/**
 * Opens a case for a decision, or joins the person's active case so repeat contacts build one
 * history. Runs in the caller's transaction (the decision's), writes the case events through
 * the outbox there, and serializes per person so concurrent decisions end in one case.
 * The same decision twice changes nothing (answers the case it is on).
 */
@Injectable()
export class OpenCaseForDecisionService {
  private readonly logger = createLogger('open-case');

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly settings: CaseSettingsReader,
    private readonly preferences: ContactPreferenceStore,
  ) {}

  async openOrJoin(
    manager: EntityManager,
    input: OpenCaseForDecisionInput,
  ): Promise<{ caseId: string; opened: boolean }> {
    const { departmentId, personId } = input;
    const riskLevel = riskLevelSchema.parse(input.riskLevel);
    const meta: CaseEventMeta = { departmentId, correlationId: input.correlationId, causationId: input.causationId };
    await lockPerson(manager, departmentId, personId);

    const [already]: { case_id: string }[] = await manager.query(
      'SELECT case_id FROM case_incident WHERE department_id = $1 AND decision_id = $2',
      [departmentId, input.decisionId],
    );
    if (already) return { caseId: already.case_id, opened: false };

    const [active] = await selectCases(
      manager,
      'department_id = $1 AND person_id = $2 AND status = ANY($3::text[])',
      [departmentId, personId, ACTIVE_CASE_STATUSES],
      'ORDER BY opened_at, id LIMIT 1 FOR UPDATE',
    );
    const contactPreference = await this.preferences.effective(manager, departmentId, personId);
    if (active) {
      const change = joinDecision(active, { riskLevel, needs: input.needs });
      const [row] = await updateReturning<Parameters<typeof caseFromRow>[0]>(
        manager,
        `UPDATE care_case SET risk_level = $3, needs = $4::text[], updated_at = now(), version = version + 1
          WHERE department_id = $1 AND id = $2 RETURNING ${CASE_COLUMNS}`,
        [departmentId, active.id, change.riskLevel, change.needs],
      );
      const updated = caseFromRow(row!);
      await this.link(manager, updated.id, input);
      await this.outbox.append(
        manager,
        caseUpdatedEvent(
          updated,
          {
            previousStatus: active.status,
            changedFields: ['incidents', ...change.changedFields],
            updatedBy: 'triage',
            contactPreference,
            incidentJoined: input.incidentId,
          },
          meta,
        ),
      );
      this.logger.debug({ departmentId, caseId: updated.id, incidentId: input.incidentId }, 'decision joined case');
      return { caseId: updated.id, opened: false };
    }

    const settings = await this.settings.get(manager, departmentId);
    const created = await this.insertCase(manager, {
      departmentId,
      personId,
      source: input.source,
      riskLevel,
      needs: [...new Set(input.needs)].sort(),
      pathway: input.pathway,
      cadence: settings.cadence,
      openedBy: 'triage',
    });
    await this.link(manager, created.id, input);
    await this.outbox.append(
      manager,
      caseOpenedEvent(
        created,
        { incidentIds: [input.incidentId], triageId: input.decisionId, timeZone: settings.timeZone, contactPreference },
        meta,
      ),
    );
    this.logger.debug({ departmentId, caseId: created.id, incidentId: input.incidentId }, 'case opened for decision');
    return { caseId: created.id, opened: true };
  }

  /** Stores a new open case and its first status (shared with cases opened by hand). */
  async insertCase(
    manager: EntityManager,
    c: Pick<CaseRecord, 'departmentId' | 'personId' | 'source' | 'needs' | 'pathway' | 'cadence' | 'openedBy'> & {
      riskLevel: RiskLevel;
      assignedTo?: string | null;
    },
  ): Promise<CaseRecord> {
    const id = newId('case');
    const [row]: Parameters<typeof caseFromRow>[0][] = await manager.query(
      `INSERT INTO care_case (id, department_id, person_id, status, source, risk_level, needs, pathway, assigned_to, cadence, opened_by)
       VALUES ($1, $2, $3, 'open', $4, $5, $6::text[], $7, $8, $9::text[], $10) RETURNING ${CASE_COLUMNS}`,
      [
        id,
        c.departmentId,
        c.personId,
        c.source,
        c.riskLevel,
        c.needs,
        c.pathway,
        c.assignedTo ?? null,
        c.cadence,
        c.openedBy,
      ],
    );
    await manager.query(
      `INSERT INTO case_status_change (department_id, case_id, from_status, to_status, changed_by) VALUES ($1, $2, NULL, 'open', $3)`,
      [c.departmentId, id, c.openedBy],
    );
    return caseFromRow(row!);
  }

  private async link(manager: EntityManager, caseId: string, input: OpenCaseForDecisionInput): Promise<void> {
    await manager.query(
      `INSERT INTO case_incident (department_id, case_id, incident_id, decision_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (department_id, case_id, incident_id) DO UPDATE SET decision_id = EXCLUDED.decision_id`,
      [input.departmentId, caseId, input.incidentId, input.decisionId],
    );
  }
}
