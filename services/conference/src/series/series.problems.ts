import { HttpStatus } from '@nestjs/common';
import { problemType } from '@cit/contracts';
import { ProblemException, ProblemType, RequestValidationError } from '@cit/service-kit';

/** Stable problem type of a series edited over a newer edit. */
export const SERIES_VERSION_PROBLEM = problemType('series-version-conflict');
/** Stable problem type of a change to a series that has ended. */
export const SERIES_ENDED_PROBLEM = problemType('series-ended');
/** Stable problem type of a change to a session that has started or is over. */
export const SESSION_PAST_PROBLEM = problemType('session-past');
/** Stable problem type of a change to a cancelled session. */
export const SESSION_CANCELLED_PROBLEM = problemType('session-cancelled');
/** Stable problem type of a session changed since the caller read it. */
export const SESSION_SEQUENCE_PROBLEM = problemType('session-sequence-conflict');

export const seriesNotFound = () =>
  new ProblemException(ProblemType.notFound, HttpStatus.NOT_FOUND, 'Not found', 'No series has this id.');
export const sessionNotFound = () =>
  new ProblemException(ProblemType.notFound, HttpStatus.NOT_FOUND, 'Not found', 'No session has this id.');

export const seriesVersionConflict = (current: number, expected: number) =>
  new ProblemException(
    SERIES_VERSION_PROBLEM,
    HttpStatus.CONFLICT,
    'Series changed',
    `The series is at version ${current}, not ${expected}; reload and apply the change again.`,
  );

export const seriesEnded = () =>
  new ProblemException(SERIES_ENDED_PROBLEM, HttpStatus.CONFLICT, 'Series ended', 'An ended series cannot change.', {
    allowed: [],
  });

export const sessionPast = () =>
  new ProblemException(
    SESSION_PAST_PROBLEM,
    HttpStatus.CONFLICT,
    'Session already started',
    'A session that has started or is over cannot be cancelled or moved.',
    { allowed: [] },
  );

export const sessionCancelled = () =>
  new ProblemException(
    SESSION_CANCELLED_PROBLEM,
    HttpStatus.CONFLICT,
    'Session cancelled',
    'A cancelled session cannot be cancelled again or moved.',
    { allowed: [] },
  );

export const sessionSequenceConflict = (current: number, expected: number) =>
  new ProblemException(
    SESSION_SEQUENCE_PROBLEM,
    HttpStatus.CONFLICT,
    'Session changed',
    `The session is at sequence ${current}, not ${expected}; reload and apply the change again.`,
    { allowed: ['cancel', 'reschedule'] },
  );

/** 400 naming the member agencies the department does not know. */
export function unknownAgencies(members: readonly { agencyId: string }[], known: ReadonlySet<string>) {
  const errors = members.flatMap((m, i) =>
    known.has(m.agencyId)
      ? []
      : [{ field: `members.${i}.agencyId`, detail: 'unknown agency: no MOU with it is known (GET /v1/agencies)' }],
  );
  return errors.length > 0 ? new RequestValidationError(errors) : undefined;
}
