import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { actorOf, updateReturning } from '../../agenda/session-access';

export interface ActionItemCompletion {
  id: string;
  outcomeId: string;
  ownerAgencyId: string;
  status: 'completed';
  completedAt: string;
  completedBy: string;
}

/** Marks an action item done: its owner agency (partner token) or program staff. */
@Injectable()
export class CompleteActionItemService {
  constructor(private readonly dataSource: DataSource) {}

  async complete(actionItemId: string, principal: Principal): Promise<ActionItemCompletion> {
    const dept = principal.departmentId;
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const rows: Array<{ outcome_id: string; owner_agency_id: string; status: string }> = await em.query(
        `SELECT outcome_id, owner_agency_id, status FROM action_item WHERE department_id = $1 AND id = $2 FOR UPDATE`,
        [dept, actionItemId],
      );
      const item = rows[0];
      // Another agency's item is as invisible as a missing one.
      if (!item || (principal.kind === 'partner' && item.owner_agency_id !== principal.agencyId))
        throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'No action item has this id.');
      if (item.status === 'completed')
        throw new ProblemException(ProblemType.conflict, 409, 'Conflict', 'The action item is already completed.', {
          allowed: [],
        });
      const by = actorOf(principal);
      const [done] = await updateReturning<{ completed_at: Date }>(
        em,
        `UPDATE action_item SET status = 'completed', completed_at = now(), completed_by = $3
          WHERE department_id = $1 AND id = $2 RETURNING completed_at`,
        [dept, actionItemId, by],
      );
      return {
        id: actionItemId,
        outcomeId: item.outcome_id,
        ownerAgencyId: item.owner_agency_id,
        status: 'completed',
        completedAt: done!.completed_at.toISOString(),
        completedBy: by,
      };
    });
  }
}
