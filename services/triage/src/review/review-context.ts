import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { currentContext } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import type { DecisionRecord } from '../decisions/decision.record';
import { TriageDecider, type DecisionMeta } from '../decisions/triage-decider.service';
import { StaffDirectoryService } from '../program/staff/staff-directory.service';
import { assertAllowed, notFoundDecision } from './review-decision';

/** The shared steps of a supervisor's review action: lock the decision, check the action, check the assignee. */
@Injectable()
export class ReviewContext {
  constructor(
    private readonly dataSource: DataSource,
    readonly decider: TriageDecider,
    private readonly staff: StaffDirectoryService,
  ) {}

  run<T>(
    principal: Principal,
    id: string,
    action: 'confirm' | 'assign' | 'override',
    work: (em: EntityManager, d: DecisionRecord, meta: DecisionMeta) => Promise<T>,
  ): Promise<T> {
    const departmentId = principal.departmentId;
    const meta: DecisionMeta = { departmentId, correlationId: currentContext()?.correlationId ?? id };
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const d = await this.decider.find(em, departmentId, id, true);
      if (!d) throw notFoundDecision();
      assertAllowed(d, action);
      return work(em, d, meta);
    });
  }

  /** 400 on assigneeId unless it names an active staff member of the department. */
  async assertAssignee(em: EntityManager, departmentId: string, assigneeId: string | undefined): Promise<void> {
    if (assigneeId === undefined) return;
    const member = await this.staff.findById(em, departmentId, assigneeId);
    if (!member || !member.active)
      throw new RequestValidationError([
        { field: 'assigneeId', detail: 'must be an active staff member of the department' },
      ]);
  }
}
