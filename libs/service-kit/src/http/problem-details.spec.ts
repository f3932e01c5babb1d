import { NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { setRootLogger } from '@cit/observability';
import pino from 'pino';
import { QueryFailedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { z } from 'zod';
import { clientErrorProblem } from './client-error';
import {
  databaseErrorCode,
  ProblemDetailsFilter,
  RETRY_AFTER_SECONDS,
  ProblemException,
  ProblemType,
  RequestValidationError,
  toProblem,
} from './problem-details';
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
    expect(toProblem({ type: 'entity.parse.failed', status: 400 })).toMatchObject({
      status: 400,
      type: ProblemType.malformedJson,
    });
    expect(toProblem({ type: 'entity.too.large', status: 413, limit: 1024 })).toMatchObject({
      status: 413,
      type: ProblemType.tooLarge,
    });
  });

  it('keeps HTTP statuses and hides unexpected errors behind a 500', () => {
    expect(toProblem(new NotFoundException())).toMatchObject({ status: 404, type: ProblemType.notFound });
    expect(toProblem(new RequestValidationError([]))).toMatchObject({ status: 400 });
    const internal = toProblem(new Error('password=hunter2'));
    expect(internal).toEqual({ type: ProblemType.internal, title: 'Internal server error', status: 500 });
  });
});

describe('database errors', () => {
  // What pg raises: the message quotes the offending value, the query carries parameters.
  const pgError = (code: string, message = 'invalid input syntax for type uuid: "Jane Doe 1980-02-03"') =>
    Object.assign(new Error(message), { code, severity: 'ERROR', detail: 'Key (name)=(Jane Doe) already exists.' });
  const failed = (code: string) =>
    new QueryFailedError('SELECT * FROM person WHERE name = $1', ['Jane Doe'], pgError(code));

  it('reads the SQLSTATE of TypeORM and pg errors only', () => {
    expect(databaseErrorCode(failed('23505'))).toBe('23505');
    expect(databaseErrorCode(pgError('22021'))).toBe('22021');
    expect(databaseErrorCode(Object.assign(new Error('x'), { code: 'ERR_SOMETHING' }))).toBeUndefined();
    expect(databaseErrorCode(new Error('plain'))).toBeUndefined();
  });

  it.each([
    ['22P05', 400],
    ['22021', 400],
    ['22P02', 400],
    ['23505', 500],
    ['42P01', 500],
    ['08006', 503],
    ['57P01', 503],
    ['53300', 503],
    ['57014', 503],
  ])('maps SQLSTATE %s to %i without any driver text', (code, status) => {
    for (const error of [failed(code), pgError(code)]) {
      const problem = toProblem(error);
      expect(problem.status).toBe(status);
      const shown = JSON.stringify(problem);
      expect(shown).not.toMatch(/Jane|uuid|SELECT|person|Key \(/);
    }
  });

  it('answers an unreachable database with 503', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
    expect(toProblem(refused)).toMatchObject({ status: 503, type: ProblemType.unavailable });
    expect(JSON.stringify(toProblem(refused))).not.toContain('10.0.0.5');
  });

  it.each([
    'timeout exceeded when trying to connect',
    'Connection terminated due to connection timeout',
    'Connection terminated unexpectedly',
    'Query read timeout',
  ])('answers a driver that gave up on the server ("%s") with 503', (message) => {
    expect(toProblem(new Error(message))).toMatchObject({ status: 503, type: ProblemType.unavailable });
    const wrapped = new QueryFailedError('SELECT * FROM person WHERE name = $1', ['Jane Doe'], new Error(message));
    expect(toProblem(wrapped)).toMatchObject({ status: 503, type: ProblemType.unavailable });
    expect(JSON.stringify(toProblem(wrapped))).not.toMatch(/Jane|SELECT/);
  });

  it('answers a transaction whose connection the server closed (TypeORM released its query runner) with 503', () => {
    expect(toProblem(new QueryRunnerProviderAlreadyReleasedError())).toMatchObject({
      status: 503,
      type: ProblemType.unavailable,
    });
  });

  it('asks the client to come back later (Retry-After) on a 503 only', () => {
    const filter = new ProblemDetailsFilter();
    const sent: { status?: number; headers: Record<string, string> } = { headers: {} };
    const res = {
      headersSent: false,
      header(name: string, value: string) {
        sent.headers[name] = value;
        return this;
      },
      status(code: number) {
        sent.status = code;
        return this;
      },
      type() {
        return this;
      },
      send() {
        return this;
      },
    };
    const host = {
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => ({ originalUrl: '/v1/persons' }), getResponse: () => res }),
    } as unknown as ArgumentsHost;
    filter.catch(failed('23505'), host);
    expect(sent.headers).toEqual({});
    filter.catch(new Error('timeout exceeded when trying to connect'), host);
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
  });

  it('logs the SQLSTATE and never the message or the query parameters', () => {
    const lines: string[] = [];
    setRootLogger(pino({ level: 'info' }, { write: (line: string) => lines.push(line) }));
    const filter = new ProblemDetailsFilter();
    const sent: { status?: number; body?: string } = {};
    const res = {
      headersSent: false,
      status(code: number) {
        sent.status = code;
        return this;
      },
      type() {
        return this;
      },
      send(body: string) {
        sent.body = body;
      },
    };
    const host = {
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => ({ originalUrl: '/v1/persons' }), getResponse: () => res }),
    } as unknown as ArgumentsHost;
    filter.catch(failed('23505'), host);
    filter.catch(failed('22021'), host);
    expect(sent.status).toBe(400);
    expect(lines.join('\n')).toContain('"sqlState":"23505"');
    expect(lines.join('\n')).toContain('"sqlState":"22021"');
    expect(lines.join('\n')).not.toMatch(/Jane|uuid|SELECT/);
  });
});

describe('requests the HTTP parser refuses', () => {
  it('get a problem of their own status', () => {
    expect(clientErrorProblem('HPE_INVALID_HEADER_TOKEN')).toMatchObject({ status: 400, type: ProblemType.validation });
    expect(clientErrorProblem('HPE_HEADER_OVERFLOW')).toMatchObject({ status: 431 });
    expect(clientErrorProblem('ERR_HTTP_REQUEST_TIMEOUT')).toMatchObject({ status: 408 });
  });

  it('carries the allowed transitions of a 409 as an extension member, and nothing extra otherwise', () => {
    const conflict = new ProblemException(ProblemType.conflict, 409, 'Transition not allowed', 'status: …', {
      allowed: ['stabilized', 'transferred'],
    });
    expect(toProblem(conflict)).toEqual({
      type: ProblemType.conflict,
      title: 'Transition not allowed',
      status: 409,
      detail: 'status: …',
      allowed: ['stabilized', 'transferred'],
    });
    expect(toProblem(new ProblemException(ProblemType.conflict, 409, 'Conflict'))).not.toHaveProperty('allowed');
  });
});
