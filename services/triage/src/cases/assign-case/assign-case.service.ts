import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { OutboxWriter } from '@cit/messaging';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { ContactPreferenceStore } from '../../persons/contact-preferences/contact-preference.store';
import { actorId, caseUpdatedEvent } from '../case-events';
import { assertExpectedVersion, caseClosedConflict } from '../case-problems';
import { isClosed } from '../case-status.machine';
import { CASE_COLUMNS, caseFromRow, lockCase, updateReturning } from '../case.record';
import { caseSummaryView } from '../case.view';
import type { AssignCaseRequest } from './assign-case.request';

/** Assigns (or unassigns) the staff member who coordinates an active case; follow-up learns it from cit.case.updated.v1. */
@Injectable()
export class AssignCaseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly preferences: ContactPreferenceStore,
  ) {}

  async assign(caseId: string, req: AssignCaseRequest, principal: Principal) {
    const departmentId = principal.departmentId;
    const by = actorId(principal.subject);
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const before = await lockCase(em, departmentId, caseId);
      assertExpectedVersion('case', before.version, req.expectedVersion);
      if (isClosed(before.status)) throw caseClosedConflict(before.status);
      if (before.assignedTo === req.assignedTo) return caseSummaryView(before); // nothing changes, nothing announced
      const [row] = await updateReturning<Parameters<typeof caseFromRow>[0]>(
        em,
        `UPDATE care_case SET assigned_to = $3, updated_at = now(), version = version + 1
          WHERE department_id = $1 AND id = $2 RETURNING ${CASE_COLUMNS}`,
        [departmentId, caseId, req.assignedTo],
      );
      const after = caseFromRow(row!);
      const contactPreference = await this.preferences.effective(em, departmentId, after.personId);
      await this.outbox.append(
        em,
        caseUpdatedEvent(
          after,
          { previousStatus: before.status, changedFields: ['assignedTo'], updatedBy: by, contactPreference },
          { departmentId },
        ),
      );
      return caseSummaryView(after);
    });
  }
}
