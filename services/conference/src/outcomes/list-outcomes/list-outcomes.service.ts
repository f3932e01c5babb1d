import { Injectable } from '@nestjs/common';
import { AuditTrail, currentAuditContext } from '@cit/audit';
import type { Principal } from '@cit/auth';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import {
  ACTION_ITEM_COLUMNS,
  OUTCOME_COLUMNS,
  outcomeView,
  type ActionItemRow,
  type OutcomeRow,
  type OutcomeView,
} from '../outcome.view';
import { outcomeDescriptionsRead } from '../outcomes-audit';

/**
 * A nomination's outcomes, oldest first, with their action items. Program staff see them all;
 * a partner agency sees only the outcomes it is the lead or an assisting agency of (filters
 * 3/4: the agencies that plan together), and 404 when there is none.
 */
@Injectable()
export class ListOutcomesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly trail: AuditTrail,
  ) {}

  async list(nominationId: string, principal: Principal): Promise<{ nominationId: string; items: OutcomeView[] }> {
    const dept = principal.departmentId;
    const context = currentAuditContext();
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const nominations: Array<{ person_id: string | null }> = await em.query(
        `SELECT person_id FROM nomination WHERE department_id = $1 AND id = $2`,
        [dept, nominationId],
      );
      const notFound = new ProblemException(ProblemType.notFound, 404, 'Not found', 'No nomination has this id.');
      if (nominations.length === 0) throw notFound;
      const partner = principal.kind === 'partner' ? principal.agencyId! : null;
      const outcomes: OutcomeRow[] = await em.query(
        `SELECT ${OUTCOME_COLUMNS} FROM conference_outcome
          WHERE department_id = $1 AND nomination_id = $2
            AND ($3::text IS NULL OR lead_agency_id = $3 OR $3 = ANY(assisting_agency_ids))
          ORDER BY recorded_at, id`,
        [dept, nominationId, partner],
      );
      if (partner && outcomes.length === 0) throw notFound;
      const items: ActionItemRow[] = outcomes.length
        ? await em.query(
            `SELECT ${ACTION_ITEM_COLUMNS} FROM action_item WHERE department_id = $1 AND outcome_id = ANY($2::text[])
              ORDER BY due_at, id`,
            [dept, outcomes.map((o) => o.id)],
          )
        : [];
      const views = outcomes.map((o) => outcomeView(dept, o, items, this.cipher));
      const entries = outcomeDescriptionsRead(views, nominations[0]!.person_id);
      if (entries.length > 0) {
        if (!context) throw new Error('ListOutcomesService: no audit context (route must be @AuditInService)');
        await this.trail.append(em, context, entries);
      }
      return { nominationId, items: views };
    });
  }
}
