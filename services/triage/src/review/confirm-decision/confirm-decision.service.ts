import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { decisionView } from '../../decisions/decision.record';
import { ReviewContext } from '../review-context';
import { assertConsultation } from '../review-decision';
import type { ConfirmDecisionRequest } from './confirm-decision.request';

/** A supervisor confirms a held decision as it is (recording the consultation where one is needed); it is published. */
@Injectable()
export class ConfirmDecisionService {
  constructor(private readonly review: ReviewContext) {}

  confirm(principal: Principal, id: string, body: ConfirmDecisionRequest) {
    return this.review.run(principal, id, 'confirm', async (em, d, meta) => {
      assertConsultation(d, body.consultation);
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
