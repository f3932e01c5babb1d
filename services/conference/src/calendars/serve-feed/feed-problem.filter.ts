import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { createLogger, currentContext, type Logger } from '@cit/observability';
import { databaseErrorCode, requestContextOf, toProblem } from '@cit/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The feed route as problems and logs name it: its path holds the token, a bearer secret. */
export const FEED_ROUTE = '/v1/calendars/{token}.ics';

/**
 * The feed route's errors: problem+json as everywhere (the same mapping), but with the route
 * template as `instance` and in the log line, never the requested path, so a feed token ends
 * up neither in an error body nor in the logs.
 */
@Catch()
export class FeedProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger = createLogger('calendar-feeds')) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const res = http.getResponse<FastifyReply>();
    const problem = {
      ...toProblem(error),
      instance: FEED_ROUTE,
      correlationId: currentContext()?.correlationId ?? requestContextOf(req)?.correlationId,
    };
    if (problem.status >= 500) {
      const sqlState = databaseErrorCode(error);
      this.logger.error(
        sqlState !== undefined
          ? { sqlState, status: problem.status, route: FEED_ROUTE }
          : {
              err:
                error instanceof Error
                  ? { name: error.name, message: error.message, stack: error.stack }
                  : String(error),
              status: problem.status,
              route: FEED_ROUTE,
            },
        'calendar feed failed',
      );
    }
    if (res.sent || res.raw?.headersSent) return;
    void res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
