import { randomUUID } from 'node:crypto';
import { runWithContext, type RequestContext } from '@cit/observability';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const CONTEXT = Symbol('cit.requestContext');

type WithContext = FastifyRequest & { [CONTEXT]?: RequestContext };

/** The correlation context given to a request, also where the async context is lost (body parser errors). */
export function requestContextOf(req: unknown): RequestContext | undefined {
  return (req as WithContext | undefined)?.[CONTEXT];
}

/**
 * Gives each request a correlation id (accepted from X-Correlation-Id when well-formed) visible to logs and events.
 * The body arrives in another async context than onRequest's, so the same context object is entered again before
 * validation, which every handler, guard and interceptor runs after.
 */
export function installRequestContext(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    const incoming = req.headers['x-correlation-id'];
    const correlationId = typeof incoming === 'string' && ID.test(incoming) ? incoming : randomUUID();
    const ctx: RequestContext = { correlationId, requestId: randomUUID() };
    (req as WithContext)[CONTEXT] = ctx;
    reply.header('x-correlation-id', correlationId);
    reply.header('x-request-id', ctx.requestId);
    runWithContext(ctx, done);
  });
  app.addHook('preValidation', (req, _reply, done) => {
    const ctx = (req as WithContext)[CONTEXT];
    if (ctx) runWithContext(ctx, done);
    else done();
  });
}
