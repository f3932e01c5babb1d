import { Injectable } from '@nestjs/common';
import { newId, riskLevelSchema, type OutreachChannel } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import type { EntityManager } from 'typeorm';
import { strictestPreference } from '../../persons/contact-preferences/contact-preference';
import { personAndAliasesSql } from '../../persons/person-aliases';
import { actorId, caseOpenedEvent, caseUpdatedEvent, type CaseEventMeta } from '../case-events';
import { ACTIVE_CASE_STATUSES } from '../case-status.machine';
import { CaseSettingsReader } from '../case-settings';
import { CASE_COLUMNS, caseFromJson, caseFromRow, lockPerson, type CaseRecord, type RiskLevel } from '../case.record';
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
  /** Staff member the decision assigned (a new case gets it; a joined case without one takes it). */
  assignedTo?: string | null;
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
  ) {}

  async openOrJoin(
    manager: EntityManager,
    input: OpenCaseForDecisionInput,
  ): Promise<{ caseId: string; opened: boolean }> {
    const { departmentId, personId } = input;
    const riskLevel = riskLevelSchema.parse(input.riskLevel);
    const assignedTo = input.assignedTo ? actorId(input.assignedTo) : null;
    const meta: CaseEventMeta = { departmentId, correlationId: input.correlationId, causationId: input.causationId };
    await lockPerson(manager, departmentId, personId);

    // One read under the person's lock: the decision's case if it has one, the person's active
    // case, and the contact preferences that apply (own and merged-in persons').
    const [state]: {
      linked_case_id: string | null;
      active: Record<string, unknown> | null;
      preferences: { doNotContact: boolean; allowedChannels: OutreachChannel[] | null }[];
    }[] = await manager.query(
      `SELECT
         (SELECT case_id FROM case_incident WHERE department_id = $1 AND decision_id = $3) AS linked_case_id,
         (SELECT to_jsonb(c) FROM (SELECT ${CASE_COLUMNS} FROM care_case
            WHERE department_id = $1 AND person_id = $2 AND status = ANY($4::text[])
            ORDER BY opened_at, id LIMIT 1) c) AS active,
         (SELECT COALESCE(jsonb_agg(jsonb_build_object('doNotContact', do_not_contact, 'allowedChannels', allowed_channels)), '[]')
            FROM contact_preference WHERE department_id = $1 AND person_id IN (${personAndAliasesSql('$1', '$2')})) AS preferences`,
      [departmentId, personId, input.decisionId, ACTIVE_CASE_STATUSES],
    );
    if (state!.linked_case_id) return { caseId: state!.linked_case_id, opened: false };
    const contactPreference = strictestPreference(
      state!.preferences.map((p) => ({
        doNotContact: p.doNotContact,
        allowedChannels: p.allowedChannels ?? undefined,
      })),
    );

    if (state!.active) {
      const active = caseFromJson(state!.active);
      const change = joinDecision(active, { riskLevel, needs: input.needs });
      // Still active when updated: a status change committed since the read (it locks the case,
      // not the person) leaves no row here, and the decision opens a new case instead.
      // A WITH … SELECT answers its rows (unlike a bare UPDATE … RETURNING through TypeORM).
      const [row]: Parameters<typeof caseFromRow>[0][] = await manager.query(
        `WITH u AS (
           UPDATE care_case SET risk_level = $3, needs = $4::text[], assigned_to = COALESCE(assigned_to, $8), updated_at = now(), version = version + 1
            WHERE department_id = $1 AND id = $2 AND status = ANY($7::text[]) RETURNING ${CASE_COLUMNS}),
         l AS (
           INSERT INTO case_incident (department_id, case_id, incident_id, decision_id)
           SELECT department_id, id, $5, $6 FROM u
           ON CONFLICT (department_id, case_id, incident_id) DO UPDATE SET decision_id = EXCLUDED.decision_id)
         SELECT * FROM u`,
        [
          departmentId,
          active.id,
          change.riskLevel,
          change.needs,
          input.incidentId,
          input.decisionId,
          ACTIVE_CASE_STATUSES,
          assignedTo,
        ],
      );
      if (row) {
        const updated = caseFromRow(row);
        await this.outbox.append(
          manager,
          caseUpdatedEvent(
            updated,
            {
              previousStatus: active.status,
              changedFields: [
                'incidents',
                ...change.changedFields,
                ...(updated.assignedTo !== active.assignedTo ? ['assignedTo'] : []),
              ],
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
    }

    const settings = await this.settings.get(manager, departmentId);
    const created = await this.insertCase(
      manager,
      {
        departmentId,
        personId,
        source: input.source,
        riskLevel,
        needs: [...new Set(input.needs)].sort(),
        pathway: input.pathway,
        cadence: settings.cadence,
        openedBy: 'triage',
        assignedTo,
      },
      { incidentId: input.incidentId, decisionId: input.decisionId },
    );
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

  /** Stores a new open case, its first status and, when given, the incident that led to it, in one statement (shared with cases opened by hand). */
  async insertCase(
    manager: EntityManager,
    c: Pick<CaseRecord, 'departmentId' | 'personId' | 'source' | 'needs' | 'pathway' | 'cadence' | 'openedBy'> & {
      riskLevel: RiskLevel;
      assignedTo?: string | null;
    },
    link?: { incidentId: string; decisionId: string | null },
  ): Promise<CaseRecord> {
    const [row]: Parameters<typeof caseFromRow>[0][] = await manager.query(
      `WITH c AS (
         INSERT INTO care_case (id, department_id, person_id, status, source, risk_level, needs, pathway, assigned_to, cadence, opened_by)
         VALUES ($1, $2, $3, 'open', $4, $5, $6::text[], $7, $8, $9::text[], $10) RETURNING ${CASE_COLUMNS}),
       s AS (
         INSERT INTO case_status_change (department_id, case_id, from_status, to_status, changed_by)
         SELECT department_id, id, NULL, 'open', opened_by FROM c),
       l AS (
         INSERT INTO case_incident (department_id, case_id, incident_id, decision_id)
         SELECT department_id, id, $11, $12 FROM c WHERE $11::text IS NOT NULL)
       SELECT * FROM c`,
      [
        newId('case'),
        c.departmentId,
        c.personId,
        c.source,
        c.riskLevel,
        c.needs,
        c.pathway,
        c.assignedTo ?? null,
        c.cadence,
        c.openedBy,
        link?.incidentId ?? null,
        link?.decisionId ?? null,
      ],
    );
    return caseFromRow(row!);
  }
}
