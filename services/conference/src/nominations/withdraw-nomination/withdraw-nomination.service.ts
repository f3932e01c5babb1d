import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { OutboxWriter } from '@cit/messaging';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { cancelOpenActionItems, requestEventContext } from '../../outcomes/action-item-closure';
import { allowedActions, isAllowed } from '../domain/nomination-status';
import { actionNotAllowed, assertExpectedVersion } from '../nomination-problems';
import { actorOf, changedRows, lockNomination } from '../nomination.record';
import type { WithdrawNominationRequest } from './withdraw-nomination.request';

const PROGRAM_ROLES = ['coordinator', 'supervisor'];

/**
 * Withdraws a pending or open nomination: by program staff, or by the staff member who submitted it.
 * Its open action items (from carry-over outcomes) are cancelled with it, so followup stops reminding.
 */
@Injectable()
export class WithdrawNominationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async withdraw(id: string, req: WithdrawNominationRequest, principal: Principal) {
    const dept = principal.departmentId;
    const by = actorOf(principal);
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const n = await lockNomination(em, dept, id);
      if (!principal.roles.some((r) => PROGRAM_ROLES.includes(r)) && n.submitted_by !== by) {
        throw new ProblemException(
          ProblemType.forbidden,
          HttpStatus.FORBIDDEN,
          'Forbidden',
          'Only program staff or the nominator may withdraw a nomination.',
        );
      }
      if (!isAllowed('withdraw', n.status, n.privacy_stage)) {
        throw actionNotAllowed('withdraw', n.status, allowedActions(n.status, n.privacy_stage));
      }
      assertExpectedVersion(n.version, req.expectedVersion);
      const [row] = await changedRows<{ version: number }>(
        em,
        `UPDATE nomination SET status = 'withdrawn', closed_at = now(), closed_status = $3, updated_at = now(),
                version = version + 1
          WHERE department_id = $1 AND id = $2 RETURNING version`,
        [dept, id, `withdrawn:${req.reason}`],
      );
      await cancelOpenActionItems(em, this.outbox, dept, id, requestEventContext(dept));
      return { nominationId: id, status: 'withdrawn' as const, version: row!.version };
    });
  }
}
