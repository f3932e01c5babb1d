import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { FieldCipher, type PhiBinding } from '@cit/persistence';
import { decisionView, type DecisionRecord } from '../../decisions/decision.record';
import { ReviewContext } from '../review-context';
import type { OverrideDecisionRequest } from './override-decision.request';

/** Where an override reason is bound: the ciphertext only opens as the reason of that decision, in its department. */
export const overrideReasonAad = (departmentId: string, decisionId: string): PhiBinding => ({
  departmentId,
  table: 'triage_decision',
  column: 'reason_ciphertext',
  rowId: decisionId,
  legacyAad: `triage_decision.reason:${decisionId}`,
});

/**
 * A supervisor overrides a decision (held or already published) with a reason: a new
 * decision supersedes it, linked both ways, and is published. Imminent risk keeps its rule:
 * mobile crisis is asked for and 164.512(j) is available. The override is the consultation.
 */
@Injectable()
export class OverrideDecisionService {
  constructor(
    private readonly review: ReviewContext,
    private readonly cipher: FieldCipher,
  ) {}

  override(principal: Principal, id: string, body: OverrideDecisionRequest) {
    return this.review.run(principal, id, 'override', async (em, previous, meta) => {
      await this.review.assertAssignee(em, principal.departmentId, body.assigneeId);
      const nextId = newId('tri');
      const pathways =
        body.riskLevel === 'imminent' && !body.pathways.includes('mobile-crisis-now')
          ? ['mobile-crisis-now' as const, ...body.pathways.filter((p) => p !== 'no-further-action')]
          : body.pathways;
      const now = new Date();
      const next: DecisionRecord = {
        ...previous,
        id: nextId,
        riskLevel: body.riskLevel,
        needs: body.needs,
        pathways,
        sector: body.sector ?? null,
        assigneeId: body.assigneeId ?? null,
        imminent164512j: body.riskLevel === 'imminent',
        consultedBy: previous.consultationReasons.length > 0 ? principal.subject : null,
        consultedAt: previous.consultationReasons.length > 0 ? now : null,
        fired: [
          {
            ruleId: 'supervisor-override',
            path: 'override',
            why: `a supervisor overrode decision ${previous.id} (reason recorded encrypted)`,
          },
        ],
        decidedBy: 'supervisor',
        deciderId: principal.subject,
        status: 'final',
        reviewReason: null,
        supersedesId: null,
        supersedeReason: null,
        supersededById: null,
        reasonCiphertext: this.cipher.encrypt(body.reason, overrideReasonAad(principal.departmentId, nextId)),
        caseId: null,
        correlationId: meta.correlationId,
        decidedAt: now,
        emittedAt: null,
      };
      const saved = await this.review.decider.supersede(em, previous, next, 'override', meta);
      return decisionView(saved);
    });
  }
}
