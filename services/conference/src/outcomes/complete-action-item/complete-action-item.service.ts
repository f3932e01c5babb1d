import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { OutboxWriter } from '@cit/messaging';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { actorOf } from '../../agenda/session-access';
import { actionItemClosedEvent, completeOpenActionItem, requestEventContext } from '../action-item-closure';

export interface ActionItemCompletion {
  id: string;
  outcomeId: string;
  ownerAgencyId: string;
  status: 'completed';
  completedAt: string;
  completedBy: string;
}

const conflict = (detail: string) =>
  new ProblemException(ProblemType.conflict, 409, 'Conflict', detail, { allowed: [] });

/**
 * Marks an action item done: its owner agency (partner token) or program staff. The item and
 * cit.conference.action-item-closed.v1 (followup stops its reminders) commit together; a second
 * completion is a 409 and writes nothing.
 */
@Injectable()
export class CompleteActionItemService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async complete(actionItemId: string, principal: Principal): Promise<ActionItemCompletion> {
    const dept = principal.departmentId;
    const ctx = requestEventContext(dept);
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const rows: Array<{ owner_agency_id: string; status: string }> = await em.query(
        `SELECT owner_agency_id, status FROM action_item WHERE department_id = $1 AND id = $2 FOR UPDATE`,
        [dept, actionItemId],
      );
      const item = rows[0];
      // Another agency's item is as invisible as a missing one.
      if (!item || (principal.kind === 'partner' && item.owner_agency_id !== principal.agencyId))
        throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'No action item has this id.');
      if (item.status === 'completed') throw conflict('The action item is already completed.');
      if (item.status === 'cancelled') throw conflict('The action item was cancelled: its nomination was withdrawn.');
      const by = actorOf(principal);
      // The row is locked and open: the update takes it.
      const done = (await completeOpenActionItem(em, dept, actionItemId, by))!;
      await this.outbox.append(em, actionItemClosedEvent(done, 'completed', ctx));
      return {
        id: actionItemId,
        outcomeId: done.outcome_id,
        ownerAgencyId: done.owner_agency_id,
        status: 'completed',
        completedAt: done.closed_at.toISOString(),
        completedBy: by,
      };
    });
  }
}
