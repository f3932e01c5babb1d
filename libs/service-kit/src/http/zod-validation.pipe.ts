import { Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { RequestValidationError, type FieldError } from './problem-details';

function describe(issue: z.core.$ZodIssue): FieldError[] {
  const base = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({ field: base ? `${base}.${k}` : k, detail: 'unknown field' }));
  }
  return [{ field: base || '(body)', detail: issue.message }];
}

/** Maps zod issues to field errors, one per invalid or unknown field. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap(describe);
}

/** Validates a request part against its schema; failures become 400 problem+json naming each field. */
@Injectable()
export class ZodValidationPipe<TSchema extends z.ZodType> implements PipeTransform<unknown, z.infer<TSchema>> {
  constructor(private readonly schema: TSchema) {}

  transform(value: unknown): z.infer<TSchema> {
    if (value === undefined) throw new RequestValidationError([{ field: '(body)', detail: 'a JSON body is required' }]);
    const result = this.schema.safeParse(value);
    if (!result.success) throw new RequestValidationError(fieldErrors(result.error));
    return result.data;
  }
}
