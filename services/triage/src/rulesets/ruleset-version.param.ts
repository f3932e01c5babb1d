import { Param, type PipeTransform } from '@nestjs/common';
import { ProblemException, ProblemType } from '@cit/service-kit';

class ParseVersionPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    if (typeof value === 'string' && /^(0|[1-9]\d{0,8})$/.test(value)) return Number(value);
    throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'No ruleset has this version.');
  }
}

/** A ruleset version in the path: a non-negative integer (0 = the default ruleset); anything else is 404. */
export function VersionParam(name = 'version'): ParameterDecorator {
  return Param(name, new ParseVersionPipe());
}

export const rulesetNotFound = () =>
  new ProblemException(ProblemType.notFound, 404, 'Not found', 'No ruleset has this version.');
