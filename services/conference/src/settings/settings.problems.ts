import { HttpStatus } from '@nestjs/common';
import { problemType } from '@cit/contracts';
import { ProblemException } from '@cit/service-kit';

/** Stable problem type of a department that has not saved its conference settings yet. */
export const SETTINGS_MISSING_PROBLEM = problemType('conference-settings-missing');
/** Stable problem type of settings saved over a newer edit. */
export const SETTINGS_VERSION_PROBLEM = problemType('conference-settings-version-conflict');

/** 409: the department has no conference settings (its time zone is unknown). */
export function settingsMissing(what: string): ProblemException {
  return new ProblemException(
    SETTINGS_MISSING_PROBLEM,
    HttpStatus.CONFLICT,
    'Conference settings missing',
    `An admin must save the department's conference settings (PUT /v1/settings: time zone, horizon) before ${what}.`,
  );
}
