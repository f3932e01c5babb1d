import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import type { CaseClosedStatus } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { ContactPreferenceStore } from '../../persons/contact-preferences/contact-preference.store';
import { actorId, caseClosedEvent, caseUpdatedEvent } from '../case-events';
import { assertExpectedVersion, transitionNotAllowed } from '../case-problems';
import { decideTransition } from '../case-status.machine';
import { CASE_COLUMNS, caseFromRow, lockCase, updateReturning } from '../case.record';
import { caseSummaryView } from '../case.view';
import type { ChangeStatusRequest } from './change-status.request';

/** Moves a case along its lifecycle (the state machine decides); a closing status emits cit.case.closed.v1. */
@Injectable()
export class ChangeStatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly preferences: ContactPreferenceStore,
  ) {}

  async change(caseId: string, req: ChangeStatusRequest, principal: Principal) {
    const departmentId = principal.departmentId;
    const by = actorId(principal.subject);
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const before = await lockCase(em, departmentId, caseId);
      assertExpectedVersion('case', before.version, req.expectedVersion);
      const decision = decideTransition(before.status, req.status);
      if (!decision.ok) throw transitionNotAllowed(before.status, req.status, decision.allowed);

      const [row] = await updateReturning<Parameters<typeof caseFromRow>[0]>(
        em,
        `UPDATE care_case SET status = $3, updated_at = now(), version = version + 1,
                closed_at = CASE WHEN $4 THEN now() ELSE closed_at END,
                closed_by = CASE WHEN $4 THEN $5 ELSE closed_by END,
                transferred_to_agency_id = $6
          WHERE department_id = $1 AND id = $2 RETURNING ${CASE_COLUMNS}`,
        [departmentId, caseId, req.status, decision.closes, by, req.transferredToAgencyId ?? null],
      );
      const after = caseFromRow(row!);
      await em.query(
        'INSERT INTO case_status_change (department_id, case_id, from_status, to_status, changed_by) VALUES ($1, $2, $3, $4, $5)',
        [departmentId, caseId, before.status, after.status, by],
      );
      const previousStatus = before.status as 'open' | 'in-contact';
      if (decision.closes) {
        await this.outbox.append(
          em,
          caseClosedEvent(
            {
              ...after,
              status: after.status as CaseClosedStatus,
              closedAt: after.closedAt!,
              closedBy: after.closedBy!,
            },
            previousStatus,
            { departmentId },
          ),
        );
      } else {
        const contactPreference = await this.preferences.effective(em, departmentId, after.personId);
        await this.outbox.append(
          em,
          caseUpdatedEvent(
            after,
            { previousStatus: before.status, changedFields: ['status'], updatedBy: by, contactPreference },
            { departmentId },
          ),
        );
      }
      return caseSummaryView(after);
    });
  }
}
