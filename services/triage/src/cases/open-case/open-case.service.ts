import { Injectable } from '@nestjs/common';
import { AuditTrail, currentAuditContext } from '@cit/audit';
import type { Principal } from '@cit/auth';
import { OutboxWriter } from '@cit/messaging';
import { tenantTransaction } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { ContactPreferenceStore } from '../../persons/contact-preferences/contact-preference.store';
import { actorId, caseOpenedEvent } from '../case-events';
import { activeCaseExists } from '../case-problems';
import { CaseSettingsReader } from '../case-settings';
import { ACTIVE_CASE_STATUSES } from '../case-status.machine';
import { lockPerson, selectCases } from '../case.record';
import { caseSummaryView } from '../case.view';
import { caseCreatedEntries } from '../cases-audit';
import { OpenCaseForDecisionService } from './open-case-for-decision.service';
import type { OpenCaseRequest } from './open-case.request';

/** Opens a case by hand (manual or re-entry outreach); one active case per person. */
@Injectable()
export class OpenCaseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly settings: CaseSettingsReader,
    private readonly preferences: ContactPreferenceStore,
    private readonly cases: OpenCaseForDecisionService,
    private readonly audit: AuditTrail,
  ) {}

  async open(req: OpenCaseRequest, principal: Principal) {
    const departmentId = principal.departmentId;
    const auditContext = currentAuditContext();
    const needs = [...new Set([...req.needs, ...(req.source === 're-entry' ? ['re-entry'] : [])])].sort();
    const by = actorId(principal.subject);
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      await lockPerson(em, departmentId, req.personId);
      const [active] = await selectCases(
        em,
        'department_id = $1 AND person_id = $2 AND status = ANY($3::text[])',
        [departmentId, req.personId, ACTIVE_CASE_STATUSES],
        'ORDER BY opened_at, id LIMIT 1',
      );
      if (active) throw activeCaseExists(active.id);
      if (req.incidentIds.length > 0) {
        // Only incidents triage knows in this department (another department's id names nothing here).
        const known: { incident_id: string }[] = await em.query(
          'SELECT incident_id FROM triage_intake WHERE department_id = $1 AND incident_id = ANY($2::text[])',
          [departmentId, req.incidentIds],
        );
        const found = new Set(known.map((k) => k.incident_id));
        const missing = req.incidentIds.flatMap((id, i) => (found.has(id) ? [] : [i]));
        if (missing.length > 0)
          throw new RequestValidationError(
            missing.map((i) => ({ field: `incidentIds.${i}`, detail: 'no such incident in the department' })),
          );
      }
      const settings = await this.settings.get(em, departmentId);
      const created = await this.cases.insertCase(em, {
        departmentId,
        personId: req.personId,
        source: req.source,
        riskLevel: req.riskLevel,
        needs,
        pathway: req.pathway ?? null,
        assignedTo: req.assignedTo ?? null,
        cadence: settings.cadence,
        openedBy: by,
      });
      for (const incidentId of req.incidentIds) {
        await em.query('INSERT INTO case_incident (department_id, case_id, incident_id) VALUES ($1, $2, $3)', [
          departmentId,
          created.id,
          incidentId,
        ]);
      }
      const contactPreference = await this.preferences.effective(em, departmentId, req.personId);
      await this.outbox.append(
        em,
        caseOpenedEvent(
          created,
          { incidentIds: req.incidentIds, timeZone: settings.timeZone, contactPreference },
          { departmentId },
        ),
      );
      if (auditContext) await this.audit.append(em, auditContext, caseCreatedEntries(created));
      return { ...caseSummaryView(created), incidentIds: req.incidentIds, contactPreference };
    });
  }
}
