import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { decisionView } from '../../decisions/decision.record';
import { ReviewContext } from '../review-context';
import { assertConsultation } from '../review-decision';
import type { AssignDecisionRequest } from './assign-decision.request';

/** A supervisor assigns a held decision to a unit, sector or clinician; it is released with the assignment. */
@Injectable()
export class AssignDecisionService {
  constructor(private readonly review: ReviewContext) {}

  assign(principal: Principal, id: string, body: AssignDecisionRequest) {
    return this.review.run(principal, id, 'assign', async (em, d, meta) => {
      assertConsultation(d, body.consultation);
      await this.review.assertAssignee(em, principal.departmentId, body.assigneeId);
      d.unit = body.unit ?? d.unit;
      d.sector = body.sector ?? d.sector;
      d.assigneeId = body.assigneeId ?? d.assigneeId;
      d.decidedBy = 'supervisor';
      d.deciderId = principal.subject;
      if (body.consultation && d.consultationReasons.length > 0) {
        d.consultedBy = body.consultation.consultedWith;
        d.consultedAt = new Date();
      }
      return decisionView(await this.review.decider.release(em, d, meta));
    });
  }
}
