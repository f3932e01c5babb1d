import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { buildEvent, newId, type IncidentReclassified, type IncidentReported } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import type { EntityManager } from 'typeorm';
import { OpenCaseForDecisionService } from '../cases/open-case/open-case-for-decision.service';
import { CrisisPlansService } from '../crisis-plans/crisis-plans.service';
import {
  applyReclassification,
  insertReportedIncident,
  loadIncidentForUpdate,
  markIncidentContext,
  storedIncidentFromEvent,
  type StoredIncident,
} from '../intake-queue/triage-incident.store';
import { modelEffects } from '../program/program-settings';
import { ProgramSettingsService, type DepartmentProgram } from '../program/program-settings.service';
import { RepeatContactsService } from '../repeat-contacts/repeat-contacts.service';
import { DEFAULT_RULESET_VERSION, RulesetStore } from '../rulesets/ruleset-store.service';
import { decide, type DecisionOutcome } from './domain/decide';
import {
  DECISION_COLUMNS,
  decisionFromRow,
  decisionValues,
  INSERT_DECISION_SQL,
  needsFollowUp,
  triageCompletedData,
  type DecisionRecord,
  type SupersedeReason,
} from './decision.record';

/** Where a decision comes from: the consumed event (or request) it answers. */
export interface DecisionMeta {
  departmentId: string;
  correlationId: string;
  /** The event that caused it (consumed event id), if any. */
  causationId?: string;
}

/**
 * Makes, stores and publishes triage decisions inside the caller's transaction (the inbox
 * transaction of a consumed event, or a supervisor's request): the decision row, the case it
 * opens or joins, cit.triage.completed.v1 and any nomination through the outbox commit
 * together. A decision the review policy holds waits in the review queue unpublished.
 */
@Injectable()
export class TriageDecider {
  constructor(
    private readonly program: ProgramSettingsService,
    private readonly rulesets: RulesetStore,
    private readonly crisisPlans: CrisisPlansService,
    private readonly repeatContacts: RepeatContactsService,
    private readonly cases: OpenCaseForDecisionService,
    private readonly outbox: OutboxWriter,
  ) {}

  /** cit.incident.reported.v1: the first decision for the incident (a known incident changes nothing). */
  async onReported(
    manager: EntityManager,
    meta: DecisionMeta & { eventId: string },
    data: IncidentReported,
  ): Promise<DecisionRecord | null> {
    const { departmentId } = meta;
    const inserted = await insertReportedIncident(manager, departmentId, {
      id: meta.eventId,
      correlationid: meta.correlationId,
      data,
    });
    if (!inserted) return null;
    const incident = storedIncidentFromEvent(data);
    const { program, version, ruleset } = await this.departmentContext(manager, departmentId);

    let repeat: Awaited<ReturnType<RepeatContactsService['record']>> | null = null;
    if (incident.personId) {
      incident.crisisPlanOnFile = await this.crisisPlans.hasCurrentPlan(manager, departmentId, incident.personId);
      const rule = program.settings.repeatContactRule;
      if (rule && (incident.relatedTo !== 'neither' || incident.observations.length > 0)) {
        repeat = await this.repeatContacts.record(
          manager,
          departmentId,
          incident.personId,
          { incidentId: incident.incidentId, at: incident.occurredAt },
          rule,
        );
        // The fact is "this incident completes a new window": a nomination is asked for once per window.
        incident.repeatRuleMet = repeat.nomination !== null;
      }
      if (incident.crisisPlanOnFile || incident.repeatRuleMet)
        await markIncidentContext(manager, departmentId, incident.incidentId, incident);
    }

    const outcome = decide({
      incident,
      settings: program.settings,
      ruleset,
      crisisPlanOnFile: incident.crisisPlanOnFile,
      repeatContactRuleMet: incident.repeatRuleMet,
    });
    const decision = this.record(meta, incident, outcome, version, this.digest(incident, program, version));
    // The incident row says 'triaged' already; only a held decision changes it.
    await this.store(manager, decision, meta, { incidentStatusKnown: true });

    if (repeat?.nomination && incident.personId) {
      const nomination = repeat.nomination;
      const nominationRequestId = `nrq_${createHash('sha256')
        .update(`${departmentId}\u0000${incident.personId}\u0000${nomination.incidentIds[0]}`)
        .digest('hex')
        .slice(0, 32)}`;
      await this.outbox.append(
        manager,
        buildEvent(
          'cit.conference.nomination-requested.v1',
          incident.personId,
          {
            nominationRequestId,
            ...(decision.caseId ? { caseId: decision.caseId } : {}),
            personId: incident.personId,
            reason: 'repeat-contacts',
            riskLevel: decision.riskLevel,
            incidentIds: nomination.incidentIds,
            incidentCount: nomination.incidentIds.length,
            windowDays: program.settings.repeatContactRule!.windowDays,
            windowStartedAt: nomination.windowStartedAt.toISOString(),
            preferredSeriesKind: modelEffects(program.settings.model).conferenceSeries,
          },
          this.context(meta),
        ),
      );
    }
    return decision;
  }

  /**
   * cit.incident.reclassified.v1: re-runs triage with the new coding and supersedes the current
   * decision, linked to it. A stale or repeated reclassification, an incident this department
   * does not know, or a re-run that sees the same input under the same ruleset version changes nothing.
   */
  async onReclassified(
    manager: EntityManager,
    meta: DecisionMeta,
    data: IncidentReclassified,
  ): Promise<DecisionRecord | null> {
    const { departmentId } = meta;
    const known = await loadIncidentForUpdate(manager, departmentId, data.incidentId);
    if (!known) return null;
    if (!(await applyReclassification(manager, departmentId, data.incidentId, data.current, data.version))) return null;
    const incident: StoredIncident = {
      ...known,
      relatedTo: data.current.relatedTo,
      observations: data.current.observations,
      suspectedUsing: data.current.suspectedUsing,
      codingVersion: data.version,
    };
    const current = await this.current(manager, departmentId, data.incidentId);
    const { program, version, ruleset } = await this.departmentContext(manager, departmentId);
    const digest = this.digest(incident, program, version);
    if (current && current.rulesetVersion === version && current.inputDigest === digest) return null;
    const outcome = decide({
      incident,
      settings: program.settings,
      ruleset,
      crisisPlanOnFile: incident.crisisPlanOnFile,
      repeatContactRuleMet: incident.repeatRuleMet,
    });
    const next = this.record(meta, incident, outcome, version, digest);
    return this.supersede(manager, current, next, 'reclassification', meta);
  }

  /** Replaces `previous` (if any) by `next`, linked both ways, and publishes `next` when it is final. */
  async supersede(
    manager: EntityManager,
    previous: DecisionRecord | null,
    next: DecisionRecord,
    reason: SupersedeReason,
    meta: DecisionMeta,
  ): Promise<DecisionRecord> {
    if (previous) {
      next.supersedesId = previous.id;
      next.supersedeReason = reason;
      await manager.query(
        `UPDATE triage_decision SET status = 'superseded', superseded_by_id = $3 WHERE department_id = $1 AND id = $2`,
        [previous.departmentId, previous.id, next.id],
      );
    }
    await this.store(manager, next, meta, { incidentStatusKnown: false });
    return next;
  }

  /** Makes a held decision final (fields a supervisor set included): opens or joins its case and publishes it. */
  async release(manager: EntityManager, d: DecisionRecord, meta: DecisionMeta): Promise<DecisionRecord> {
    await this.openCase(manager, d, meta);
    d.status = 'final';
    d.emittedAt = new Date();
    await manager.query(
      `UPDATE triage_decision SET status = 'final', case_id = $3, emitted_at = $4, decided_by = $5, decider_id = $6,
         consulted_by = $7, consulted_at = $8, sector = $9, unit = $10, assignee_id = $11
       WHERE department_id = $1 AND id = $2`,
      [
        d.departmentId,
        d.id,
        d.caseId,
        d.emittedAt,
        d.decidedBy,
        d.deciderId,
        d.consultedBy,
        d.consultedAt,
        d.sector,
        d.unit,
        d.assigneeId,
      ],
    );
    await this.emit(manager, d, meta);
    await this.setIncidentStatus(manager, d);
    return d;
  }

  /** Inserts a new decision; a final one gets its case first and is published in the same transaction. */
  private async store(
    manager: EntityManager,
    d: DecisionRecord,
    meta: DecisionMeta,
    { incidentStatusKnown }: { incidentStatusKnown: boolean },
  ): Promise<void> {
    if (d.status === 'final') {
      await this.openCase(manager, d, meta);
      d.emittedAt = new Date();
    }
    await manager.query(INSERT_DECISION_SQL, decisionValues(d));
    if (d.status === 'final') await this.emit(manager, d, meta);
    if (!incidentStatusKnown || d.status !== 'final') await this.setIncidentStatus(manager, d);
  }

  async current(manager: EntityManager, departmentId: string, incidentId: string): Promise<DecisionRecord | null> {
    const [row] = await manager.query(
      `SELECT ${DECISION_COLUMNS} FROM triage_decision
        WHERE department_id = $1 AND incident_id = $2 AND superseded_by_id IS NULL FOR UPDATE`,
      [departmentId, incidentId],
    );
    return row ? decisionFromRow(row) : null;
  }

  async find(manager: EntityManager, departmentId: string, id: string, lock = false): Promise<DecisionRecord | null> {
    const [row] = await manager.query(
      `SELECT ${DECISION_COLUMNS} FROM triage_decision WHERE department_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [departmentId, id],
    );
    return row ? decisionFromRow(row) : null;
  }

  private async openCase(manager: EntityManager, d: DecisionRecord, meta: DecisionMeta): Promise<void> {
    if (!needsFollowUp(d)) return;
    const { caseId } = await this.cases.openOrJoin(manager, {
      departmentId: d.departmentId,
      personId: d.personId!,
      incidentId: d.incidentId,
      decisionId: d.id,
      riskLevel: d.riskLevel,
      needs: d.needs,
      pathway: d.pathways[0],
      source: 'triage',
      correlationId: meta.correlationId,
      causationId: meta.causationId,
    });
    d.caseId = caseId;
  }

  private async emit(manager: EntityManager, d: DecisionRecord, meta: DecisionMeta): Promise<void> {
    await this.outbox.append(
      manager,
      buildEvent('cit.triage.completed.v1', d.incidentId, triageCompletedData(d), this.context(meta)),
    );
  }

  /**
   * The department's program settings and the ruleset in force, in one round trip (the hot
   * path of every decision); the settings become this transaction's for the other areas.
   */
  private async departmentContext(manager: EntityManager, departmentId: string) {
    const [row] = (await manager.query(
      `SELECT p.version, p.settings, p.updated_by, p.updated_at,
              (SELECT version FROM ruleset_active WHERE department_id = $1) AS ruleset_version
         FROM (SELECT 1) one LEFT JOIN program_settings p ON p.department_id = $1`,
      [departmentId],
    )) as (Parameters<ProgramSettingsService['remember']>[2] & { ruleset_version: number | null })[];
    const program = this.program.remember(manager, departmentId, row);
    const version = row?.ruleset_version ?? DEFAULT_RULESET_VERSION;
    const ruleset = await this.rulesets.find(manager, departmentId, version);
    if (!ruleset) throw new Error(`ruleset ${version} in force for the department is missing`);
    return { program, version, ruleset };
  }

  private async setIncidentStatus(manager: EntityManager, d: DecisionRecord) {
    await manager.query(`UPDATE triage_intake SET status = $3 WHERE department_id = $1 AND incident_id = $2`, [
      d.departmentId,
      d.incidentId,
      d.status === 'pending-review' ? 'in-review' : 'triaged',
    ]);
  }

  private context(meta: DecisionMeta) {
    return {
      departmentId: meta.departmentId,
      correlationId: meta.correlationId,
      ...(meta.causationId ? { causationId: meta.causationId } : {}),
    };
  }

  /** Everything a decision depends on: same digest and ruleset version = the same decision. */
  private digest(incident: StoredIncident, program: DepartmentProgram, rulesetVersion: number): string {
    // An explicit projection: the incident read back from its row and the one built from the event hash alike.
    const i = incident;
    const f = i.subject?.flags;
    const inputs = [
      i.callType,
      i.disposition ?? null,
      i.district ?? null,
      i.encounter,
      i.source,
      i.relatedTo,
      [...i.observations].sort(),
      [...i.suspectedUsing].sort(),
      i.subjectCount,
      i.personId,
      i.subject ? [i.subject.language ?? null, f!.juvenile, f!.senior, f!.veteran, f!.experiencingHomelessness] : null,
      i.crisisPlanOnFile,
      i.repeatRuleMet,
    ];
    return createHash('sha256')
      .update(JSON.stringify({ inputs, program: program.version, rulesetVersion }))
      .digest('base64url');
  }

  private record(
    meta: DecisionMeta,
    incident: StoredIncident,
    o: DecisionOutcome,
    rulesetVersion: number,
    inputDigest: string,
  ): DecisionRecord {
    return {
      id: newId('tri'),
      departmentId: meta.departmentId,
      incidentId: incident.incidentId,
      personId: incident.personId,
      rulesetVersion,
      inputDigest,
      riskLevel: o.riskLevel,
      needs: o.needs,
      pathways: o.pathways,
      sector: o.sector,
      unit: null,
      assigneeId: null,
      ageRange: o.ageRange,
      language: o.language,
      area: o.area,
      imminent164512j: o.imminentThreat164512j,
      consultationReasons: o.consultationReasons,
      consultedBy: null,
      consultedAt: null,
      crisisPlanOnFile: o.crisisPlanOnFile,
      fired: o.fired,
      decidedBy: 'rules',
      deciderId: null,
      status: o.reviewReason ? 'pending-review' : 'final',
      reviewReason: o.reviewReason,
      supersedesId: null,
      supersedeReason: null,
      supersededById: null,
      reasonCiphertext: null,
      caseId: null,
      correlationId: meta.correlationId,
      decidedAt: new Date(),
      emittedAt: null,
    };
  }
}
