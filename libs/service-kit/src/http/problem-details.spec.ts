import { NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import { ProblemType, RequestValidationError, toProblem } from './problem-details';
import { ZodValidationPipe } from './zod-validation.pipe';

describe('problem details', () => {
  const pipe = new ZodValidationPipe(z.strictObject({ callType: z.string(), count: z.number().int() }));

  function problemOf(value: unknown) {
    try {
      pipe.transform(value);
    } catch (e) {
      return toProblem(e);
    }
    throw new Error('expected a validation error');
  }

  it('names unknown fields and wrong types', () => {
    const p = problemOf({ callType: 7, count: 1, colour: 'red' });
    expect(p.status).toBe(400);
    expect(p.type).toBe(ProblemType.validation);
    expect(p.errors?.map((e) => e.field).sort()).toEqual(['callType', 'colour']);
  });

  it('rejects a missing body', () => {
    expect(problemOf(undefined).errors).toEqual([{ field: '(body)', detail: 'a JSON body is required' }]);
  });

  it('maps body-parser failures to 400 and 413', () => {
    expect(toProblem({ type: 'entity.parse.failed', status: 400 })).toMatchObject({ status: 400, type: ProblemType.malformedJson });
    expect(toProblem({ type: 'entity.too.large', status: 413, limit: 1024 })).toMatchObject({ status: 413, type: ProblemType.tooLarge });
  });

  it('keeps HTTP statuses and hides unexpected errors behind a 500', () => {
    expect(toProblem(new NotFoundException())).toMatchObject({ status: 404, type: ProblemType.notFound });
    expect(toProblem(new RequestValidationError([]))).toMatchObject({ status: 400 });
    const internal = toProblem(new Error('password=hunter2'));
    expect(internal).toEqual({ type: ProblemType.internal, title: 'Internal server error', status: 500 });
  });
});
