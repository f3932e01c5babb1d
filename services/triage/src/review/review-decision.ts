import { HttpStatus } from '@nestjs/common';
import { problemType } from '@cit/contracts';
import { ProblemException, ProblemType, RequestValidationError } from '@cit/service-kit';
import type { DecisionRecord } from '../decisions/decision.record';

/** Stable problem type of a review action on a decision in a state that does not allow it. */
export const DECISION_STATE_PROBLEM = problemType('decision-state-conflict');

/** What a supervisor may do with a decision in each state. */
export const REVIEW_ACTIONS: Record<DecisionRecord['status'], readonly ('confirm' | 'assign' | 'override')[]> = {
  'pending-review': ['confirm', 'assign', 'override'],
  final: ['override'],
  superseded: [],
};

export function notFoundDecision(): ProblemException {
  return new ProblemException(ProblemType.notFound, 404, 'Not found', 'No decision has this id.');
}

/** 409 naming what the decision's state allows, unless `action` is one of them. */
export function assertAllowed(d: DecisionRecord, action: 'confirm' | 'assign' | 'override'): void {
  const allowed = REVIEW_ACTIONS[d.status];
  if (allowed.includes(action)) return;
  throw new ProblemException(
    DECISION_STATE_PROBLEM,
    HttpStatus.CONFLICT,
    'Decision cannot be changed this way',
    `The decision is ${d.status}${d.supersededById ? ` (superseded by ${d.supersededById})` : ''}; allowed: ${
      allowed.length ? allowed.join(', ') : 'none'
    }.`,
    { allowed },
  );
}

/** A held decision that needs a consultation is released only with the consultation recorded. */
export function assertConsultation(d: DecisionRecord, consultation: unknown): void {
  if (d.reviewReason === 'consultation-required' && !consultation)
    throw new RequestValidationError([
      {
        field: 'consultation',
        detail: `required: the decision needs an officer or supervisor consultation (${d.consultationReasons.join(', ')})`,
      },
    ]);
}
