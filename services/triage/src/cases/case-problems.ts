import { HttpStatus } from '@nestjs/common';
import { problemType, type CaseStatus } from '@cit/contracts';
import { ProblemException, ProblemType } from '@cit/service-kit';

/** 409: the status change is not in the lifecycle; the detail names the field and lists the allowed statuses. */
export function transitionNotAllowed(from: CaseStatus, to: CaseStatus, allowed: readonly CaseStatus[]) {
  const options = allowed.length ? allowed.join(', ') : 'none (the case is closed)';
  return new ProblemException(
    problemType('case-transition-not-allowed'),
    HttpStatus.CONFLICT,
    'Case status transition not allowed',
    `status: a case that is ${from} cannot become ${to}; allowed: ${options}`,
    { allowed },
  );
}

/** 409: the case is closed; nothing more can be logged or joined. */
export function caseClosedConflict(status: CaseStatus) {
  return new ProblemException(
    ProblemType.conflict,
    HttpStatus.CONFLICT,
    'Case closed',
    `status: the case is ${status}; contacts and plans change only on open and in-contact cases`,
  );
}

/** 409: the person already has an active case; a new contact joins it instead. */
export function activeCaseExists(caseId: string) {
  return new ProblemException(
    problemType('active-case-exists'),
    HttpStatus.CONFLICT,
    'Active case exists',
    `personId: the person already has an active case ${caseId}; log contacts there`,
  );
}

/** 409: the outreach would go against the person's contact preference. */
export function outreachRefused(reason: 'do-not-contact' | 'channel-not-allowed') {
  return new ProblemException(
    problemType('contact-preference-refuses'),
    HttpStatus.CONFLICT,
    'Contact preference refuses this outreach',
    reason === 'do-not-contact'
      ? 'initiatedBy: the person asked not to be contacted; only contacts the person initiates are logged'
      : 'channel: the person asked not to be contacted through this channel',
  );
}

/** 409 unless the caller saw the current version (optimistic concurrency; absent = no check). */
export function assertExpectedVersion(what: 'case' | 'plan', current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current)
    throw new ProblemException(
      ProblemType.conflict,
      HttpStatus.CONFLICT,
      'Conflict',
      `expectedVersion: the ${what} is at version ${current}`,
    );
}
