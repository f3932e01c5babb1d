import { HttpStatus } from '@nestjs/common';
import { problemType } from '@cit/contracts';
import { ProblemException, ProblemType } from '@cit/service-kit';
import type { NominationAction } from './domain/nomination-status';

/** 404 without saying whether the id exists in another department. */
export function nominationNotFound() {
  return new ProblemException(ProblemType.notFound, HttpStatus.NOT_FOUND, 'Not found', 'No nomination has this id.');
}

/** 409: the action does not apply in the nomination's current state; `allowed` lists what does. */
export function actionNotAllowed(action: NominationAction, status: string, allowed: readonly NominationAction[]) {
  return new ProblemException(
    problemType('nomination-action-not-allowed'),
    HttpStatus.CONFLICT,
    'Not allowed in the nomination’s current state',
    `status: a nomination that is ${status} does not allow ${action}; allowed: ${allowed.length ? allowed.join(', ') : 'none'}`,
    { allowed },
  );
}

/** 409: the person already has an open nomination (never says who the person is). */
export function openNominationExists(field: string) {
  return new ProblemException(
    problemType('open-nomination-exists'),
    HttpStatus.CONFLICT,
    'Open nomination exists',
    `${field}: this person already has an open nomination; add to it instead`,
  );
}

/** 409 unless the caller saw the current version (optimistic concurrency; absent = no check). */
export function assertExpectedVersion(current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new ProblemException(
      ProblemType.conflict,
      HttpStatus.CONFLICT,
      'Conflict',
      `expectedVersion: the nomination is at version ${current}`,
    );
  }
}
