import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { createLogger, currentContext } from '@cit/observability';
import type { Request, Response } from 'express';

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
  correlationId?: string;
}

const TYPE_BASE = 'https://cit-platform.org/problems/';

/** Stable problem types: clients switch on these, never on the title text. */
export const ProblemType = {
  validation: `${TYPE_BASE}validation-error`,
  malformedJson: `${TYPE_BASE}malformed-json`,
  tooLarge: `${TYPE_BASE}payload-too-large`,
  unsupportedMediaType: `${TYPE_BASE}unsupported-media-type`,
  unauthorized: `${TYPE_BASE}unauthorized`,
  forbidden: `${TYPE_BASE}forbidden`,
  notFound: `${TYPE_BASE}not-found`,
  conflict: `${TYPE_BASE}conflict`,
  unprocessable: `${TYPE_BASE}unprocessable`,
  internal: `${TYPE_BASE}internal-error`,
  http: `${TYPE_BASE}http-error`,
} as const;

/** A 400 whose body names the invalid fields. */
export class RequestValidationError extends HttpException {
  constructor(readonly errors: FieldError[]) {
    super({ errors }, HttpStatus.BAD_REQUEST);
  }
}

/** An error that maps to a problem type and status of its own (e.g. 422 idempotency conflict). */
export class ProblemException extends HttpException {
  constructor(
    readonly problemType: string,
    status: number,
    readonly title: string,
    readonly detail?: string,
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

/** Maps any error to a problem; the body never echoes request content (it may be PHI). */
export function toProblem(error: unknown): ProblemDetails {
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
    return { type: error.problemType, title: error.title, status: error.getStatus(), detail: error.detail };
  }
  const bp = error as BodyParserError;
  if (bp && typeof bp === 'object' && typeof bp.type === 'string') {
    if (bp.type === 'entity.parse.failed') {
      return { type: ProblemType.malformedJson, title: 'Malformed JSON', status: 400, detail: 'The request body is not valid JSON.', errors: [{ field: '(body)', detail: 'not valid JSON' }] };
    }
    if (bp.type === 'entity.too.large') {
      return { type: ProblemType.tooLarge, title: 'Payload too large', status: 413, detail: `The request body exceeds ${bp.limit ?? 'the limit of'} bytes.`, errors: [{ field: '(body)', detail: 'too large' }] };
    }
    if (bp.type === 'encoding.unsupported' || bp.type === 'charset.unsupported') {
      return { type: ProblemType.unsupportedMediaType, title: 'Unsupported media type', status: 415 };
    }
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const [type, title] = TYPE_BY_STATUS[status] ?? [ProblemType.http, 'HTTP error'];
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    return { type, title, status, detail: typeof message === 'string' ? message : undefined };
  }
  return { type: ProblemType.internal, title: 'Internal server error', status: 500 };
}

/** Global filter: every error leaves as application/problem+json; unexpected ones are logged (without PHI). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = createLogger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const problem = { ...toProblem(error), instance: req.originalUrl?.split('?')[0], correlationId: currentContext()?.correlationId };
    if (problem.status >= 500) {
      this.logger.error({ err: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error), route: problem.instance }, 'request failed');
    }
    if (res.headersSent) return;
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
