import { randomUUID } from 'node:crypto';
import { runWithContext } from '@cit/observability';
import type { NextFunction, Request, Response } from 'express';

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives each request a correlation id (accepted from X-Correlation-Id when well-formed) visible to logs and events. */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-correlation-id');
  const correlationId = incoming && ID.test(incoming) ? incoming : randomUUID();
  const requestId = randomUUID();
  res.setHeader('x-correlation-id', correlationId);
  res.setHeader('x-request-id', requestId);
  runWithContext({ correlationId, requestId }, () => next());
}
