import { Injectable } from '@nestjs/common';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import { WebhookDispatcher } from '../delivery/webhook-dispatcher';
import { NotACandidateError, TransitionError } from './referral-workflow.service';

/**
 * Runs a referral change in the department's transaction, then enqueues the webhook
 * deliveries it committed; maps workflow refusals to problem+json (409 lists allowed statuses).
 */
@Injectable()
export class ReferralRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  async run<T extends { deliveries: string[] }>(
    departmentId: string,
    fn: (em: EntityManager) => Promise<T>,
  ): Promise<T> {
    let result: T;
    try {
      result = await tenantTransaction(this.dataSource, departmentId, fn);
    } catch (err) {
      throw asProblem(err);
    }
    await this.webhooks.enqueue(departmentId, result.deliveries);
    return result;
  }
}

export function asProblem(err: unknown): unknown {
  if (err instanceof TransitionError) {
    const c = err.check;
    if (c.problem === 'wrong-party' || c.problem === 'not-allowed')
      return new AllowedTransitionsConflict(c.problem, c.allowed);
    const field = c.problem === 'reason-required' ? 'reasonCode' : 'outcome';
    const detail =
      c.problem === 'reason-required'
        ? 'is required for this status'
        : c.problem === 'outcome-required'
          ? 'is required when completing or failing a referral'
          : 'is only for completed or failed';
    return new ProblemException(ProblemType.validation, 400, 'Bad request', `${field} ${detail}`);
  }
  if (err instanceof NotACandidateError)
    return new ProblemException(
      ProblemType.unprocessable,
      422,
      'Not an eligible candidate',
      err.reasons.length ? `excluded: ${err.reasons.join(', ')}` : 'the agency has no service in the directory',
    );
  return err;
}

/** 409 problem+json listing the statuses the caller may set from here: in `allowed` and in the detail. */
export class AllowedTransitionsConflict extends ProblemException {
  constructor(
    readonly reason: 'wrong-party' | 'not-allowed',
    readonly allowed: string[],
  ) {
    super(
      ProblemType.conflict,
      409,
      'Transition not allowed',
      `${reason === 'wrong-party' ? 'this party may not set that status; ' : ''}allowed from here: ${allowed.length ? allowed.join(', ') : 'none (final status)'}`,
      { allowed },
    );
  }
}
