import { Param, type PipeTransform } from '@nestjs/common';
import { ProblemException, ProblemType } from './problem-details';

/** The form of every generated id: a 2-8 letter prefix and 32 hex digits (newId in @cit/contracts). */
export const ID_PATTERN = /^[a-z]{2,8}_[0-9a-f]{32}$/;

/** True when value has the form of a generated id (with the given prefix, when one is given). */
export function isWellFormedId(value: unknown, prefix?: string): value is string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) return false;
  return prefix === undefined || value.startsWith(`${prefix}_`);
}

/**
 * Refuses a path id that no generated id could match with 404, before any query: a
 * malformed id names nothing, and it never reaches PostgreSQL (NUL, invalid text).
 */
export class ParseIdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly prefix?: string) {}

  transform(value: unknown): string {
    if (isWellFormedId(value, this.prefix)) return value;
    // The id is not echoed: it is caller input of any content.
    throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'No resource has this id.');
  }
}

/** A path parameter holding a generated id; malformed ids answer 404 before the handler runs. */
export function IdParam(name: string, prefix?: string): ParameterDecorator {
  return Param(name, new ParseIdPipe(prefix));
}
