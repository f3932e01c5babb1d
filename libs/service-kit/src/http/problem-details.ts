import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { createLogger, currentContext } from '@cit/observability';
import { problemType } from '@cit/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { requestContextOf } from './request-context.middleware';

/** One invalid field of a request. */
export interface FieldError {
  field: string;
  detail: string;
}

/** RFC 9457 problem details with the platform's stable type URIs. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  /** For a 409 on a state change: what the caller may do from the current state instead. */
  allowed?: string[];
  correlationId?: string;
}

/** Stable problem types: clients switch on these, never on the title text. */
export const ProblemType = {
  validation: problemType('validation-error'),
  malformedJson: problemType('malformed-json'),
  tooLarge: problemType('payload-too-large'),
  unsupportedMediaType: problemType('unsupported-media-type'),
  unauthorized: problemType('unauthorized'),
  forbidden: problemType('forbidden'),
  notFound: problemType('not-found'),
  conflict: problemType('conflict'),
  unprocessable: problemType('unprocessable'),
  internal: problemType('internal-error'),
  unavailable: problemType('service-unavailable'),
  http: problemType('http-error'),
} as const;

/** A 400 whose body names the invalid fields. */
export class RequestValidationError extends HttpException {
  constructor(readonly errors: FieldError[]) {
    super({ errors }, HttpStatus.BAD_REQUEST);
  }
}

/** Extension members a ProblemException may carry (RFC 9457 section 3.2). */
export interface ProblemExtensions {
  /** The transitions or actions allowed from the current state (409 on a state change). */
  allowed?: readonly string[];
}

/** An error that maps to a problem type and status of its own (e.g. 422 idempotency conflict). */
export class ProblemException extends HttpException {
  constructor(
    readonly problemType: string,
    status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: ProblemExtensions = {},
  ) {
    super(title, status);
  }
}

const TYPE_BY_STATUS: Record<number, [string, string]> = {
  400: [ProblemType.validation, 'Bad request'],
  401: [ProblemType.unauthorized, 'Unauthorized'],
  403: [ProblemType.forbidden, 'Forbidden'],
  404: [ProblemType.notFound, 'Not found'],
  409: [ProblemType.conflict, 'Conflict'],
  413: [ProblemType.tooLarge, 'Payload too large'],
  415: [ProblemType.unsupportedMediaType, 'Unsupported media type'],
  422: [ProblemType.unprocessable, 'Unprocessable content'],
};

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

// SQLSTATEs of text the database could not take (NUL, invalid byte sequence, untranslatable
// character, invalid text representation): the request's fault, should any pass the guards.
const BAD_INPUT_SQLSTATES = new Set(['22P05', '22021', '22P02']);
// Connection exceptions (class 08), too many connections, statement timeout (57014: the
// server is too slow to answer now), shutdown and "cannot connect now".
const UNAVAILABLE_SQLSTATE = /^(08...|53300|57014|57P0[123])$/;
const UNAVAILABLE_NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/** Seconds a client is asked to wait (Retry-After) after a 503: about a pool's connect timeout and a broker's recovery. */
export const RETRY_AFTER_SECONDS = 5;

// pg and pg-pool give up on a silent or lost server with plain errors that carry no code:
// no free connection in time, connect timeout, query_timeout, the socket closed under a query.
const UNAVAILABLE_DRIVER_MESSAGES = new Set([
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Query read timeout',
]);

/** The pseudo code under which a driver timeout or lost connection is logged and mapped (503). */
const DRIVER_UNAVAILABLE = 'driver-unavailable';

/**
 * The SQLSTATE (or network code) of a database error: TypeORM's QueryFailedError or a pg
 * DatabaseError; undefined for anything else. Only this code is ever logged or mapped: the
 * driver's message can quote values and the query's parameters are request data.
 */
export function databaseErrorCode(error: unknown): string | undefined {
  // TypeORM releases a query runner whose connection the server closed (pg_terminate_backend,
  // a restart); the transaction's next statement then fails with this: the connection was lost.
  if (error instanceof QueryRunnerProviderAlreadyReleasedError) return DRIVER_UNAVAILABLE;
  const candidate = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  if (!candidate || typeof candidate !== 'object') return undefined;
  if (UNAVAILABLE_DRIVER_MESSAGES.has(messageOf(candidate) ?? '')) return DRIVER_UNAVAILABLE;
  const { code, severity } = candidate as { code?: unknown; severity?: unknown };
  if (typeof code !== 'string') return undefined;
  if (error instanceof QueryFailedError || (typeof severity === 'string' && /^[0-9A-Z]{5}$/.test(code))) return code;
  return undefined;
}

function databaseProblem(code: string): ProblemDetails {
  if (BAD_INPUT_SQLSTATES.has(code)) {
    return {
      type: ProblemType.validation,
      title: 'Request validation failed',
      status: 400,
      detail: 'A value of the request cannot be stored as text.',
      errors: [{ field: '(request)', detail: 'contains characters that cannot be stored' }],
    };
  }
  if (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NET_CODES.has(code) || code === DRIVER_UNAVAILABLE) {
    return {
      type: ProblemType.unavailable,
      title: 'Service unavailable',
      status: 503,
      detail: 'The database is not reachable; retry later.',
    };
  }
  return { type: ProblemType.internal, title: 'Internal server error', status: 500 };
}

const BODY_TOO_LARGE: ProblemDetails = {
  type: ProblemType.tooLarge,
  title: 'Payload too large',
  status: 413,
  detail: 'The request body exceeds the size limit.',
  errors: [{ field: '(body)', detail: 'too large' }],
};

/** Maps any error to a problem; the body never echoes request content (it may be PHI) nor database text. */
export function toProblem(error: unknown): ProblemDetails {
  const sqlState = databaseErrorCode(error);
  if (sqlState !== undefined) return databaseProblem(sqlState);
  if (isConnectionError(error)) return databaseProblem((error as { code: string }).code);
  if (error instanceof RequestValidationError) {
    return {
      type: ProblemType.validation,
      title: 'Request validation failed',
      status: 400,
      detail: error.errors.map((e) => `${e.field}: ${e.detail}`).join('; '),
      errors: error.errors,
    };
  }
  if (error instanceof ProblemException) {
    const problem: ProblemDetails = {
      type: error.problemType,
      title: error.title,
      status: error.getStatus(),
      detail: error.detail,
    };
    if (error.extensions.allowed) problem.allowed = [...error.extensions.allowed];
    return problem;
  }
  const bp = error as BodyParserError;
  if (bp && typeof bp === 'object' && typeof bp.type === 'string') {
    if (bp.type === 'entity.parse.failed') {
      return {
        type: ProblemType.malformedJson,
        title: 'Malformed JSON',
        status: 400,
        detail: 'The request body is not valid JSON.',
        errors: [{ field: '(body)', detail: 'not valid JSON' }],
      };
    }
    if (bp.type === 'entity.too.large') {
      return {
        type: ProblemType.tooLarge,
        title: 'Payload too large',
        status: 413,
        detail: `The request body exceeds ${bp.limit ?? 'the limit of'} bytes.`,
        errors: [{ field: '(body)', detail: 'too large' }],
      };
    }
    if (bp.type === 'encoding.unsupported' || bp.type === 'charset.unsupported') {
      return { type: ProblemType.unsupportedMediaType, title: 'Unsupported media type', status: 415 };
    }
  }
  const fst = fastifyError(error);
  if (fst) return fst;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // However the size limit was reached (Content-Length or bytes read), one answer.
    if (status === 413) return BODY_TOO_LARGE;
    const [type, title] = TYPE_BY_STATUS[status] ?? [ProblemType.http, 'HTTP error'];
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    return { type, title, status, detail: typeof message === 'string' ? message : undefined };
  }
  return { type: ProblemType.internal, title: 'Internal server error', status: 500 };
}

// Fastify's own errors (body too large, unsupported media type, bad content length): their status, never their message.
function fastifyError(error: unknown): ProblemDetails | undefined {
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_') || typeof statusCode !== 'number') return undefined;
  if (statusCode === 413) return BODY_TOO_LARGE;
  if (statusCode >= 500) return { type: ProblemType.internal, title: 'Internal server error', status: 500 };
  const [type, title] = TYPE_BY_STATUS[statusCode] ?? [ProblemType.http, 'HTTP error'];
  return { type, title, status: statusCode };
}

// pg raises a plain Error with a network code when the server cannot be reached at all. Not
// `instanceof Error`: errors Node's net module creates may come from another realm (a vm
// context, as under Jest) and still are errors.
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return messageOf(error) !== undefined && typeof code === 'string' && UNAVAILABLE_NET_CODES.has(code);
}

function messageOf(error: unknown): string | undefined {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
}

/** Global filter: every error leaves as application/problem+json; unexpected ones are logged (without PHI). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = createLogger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const res = http.getResponse<FastifyReply>();
    const problem = {
      ...toProblem(error),
      instance: (req.originalUrl ?? req.url)?.split('?')[0],
      // Body parser errors arrive outside the request's async context; the request still carries it.
      correlationId: currentContext()?.correlationId ?? requestContextOf(req)?.correlationId,
    };
    const sqlState =
      databaseErrorCode(error) ?? (isConnectionError(error) ? (error as { code: string }).code : undefined);
    if (sqlState !== undefined) {
      // The code alone: driver messages quote values, and QueryFailedError carries the parameters.
      const log = problem.status >= 500 ? this.logger.error.bind(this.logger) : this.logger.warn.bind(this.logger);
      log({ sqlState, status: problem.status, route: problem.instance }, 'database refused the request');
    } else if (problem.status >= 500) {
      this.logger.error(
        {
          err:
            error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
          route: problem.instance,
        },
        'request failed',
      );
    }
    if (res.sent || res.raw?.headersSent) return;
    // A 503 is a passing state (database, JWKS or deny-list out of reach): say when to come back.
    if (problem.status === 503) void res.header('retry-after', String(RETRY_AFTER_SECONDS));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
