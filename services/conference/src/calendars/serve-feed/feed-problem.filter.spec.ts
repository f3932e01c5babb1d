import type { ArgumentsHost } from '@nestjs/common';
import type { Logger } from '@cit/observability';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { QueryFailedError } from 'typeorm';
import { FEED_ROUTE, FeedProblemFilter } from './feed-problem.filter';

const TOKEN = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';

function run(error: unknown) {
  const logged: unknown[] = [];
  const logger = { error: (obj: unknown) => logged.push(obj) } as unknown as Logger;
  const sent: { status?: number; type?: string; body?: string } = {};
  const reply = {
    sent: false,
    raw: { headersSent: false },
    status(s: number) {
      sent.status = s;
      return reply;
    },
    type(t: string) {
      sent.type = t;
      return reply;
    },
    send(b: string) {
      sent.body = b;
      return reply;
    },
  };
  const request = { url: `/v1/calendars/${TOKEN}.ics`, originalUrl: `/v1/calendars/${TOKEN}.ics` };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new FeedProblemFilter(logger).catch(error, host);
  return { sent, logged };
}

describe('FeedProblemFilter', () => {
  it('answers problem+json naming the route template, never the token in the path', () => {
    const { sent, logged } = run(new ProblemException(ProblemType.notFound, 404, 'Not found', 'No calendar feed.'));
    expect(sent.status).toBe(404);
    expect(sent.type).toBe('application/problem+json');
    expect(JSON.parse(sent.body!)).toMatchObject({ type: ProblemType.notFound, status: 404, instance: FEED_ROUTE });
    expect(sent.body).not.toContain(TOKEN);
    expect(logged).toEqual([]);
  });

  it('logs a database failure by its SQLSTATE and the route template only', () => {
    const driverError = Object.assign(new Error(`connection lost while reading ${TOKEN}`), { code: '57P01' });
    const { sent, logged } = run(new QueryFailedError('SELECT 1', [TOKEN], driverError));
    expect(sent.status).toBe(503);
    expect(JSON.stringify(logged)).not.toContain(TOKEN);
    expect(logged).toEqual([{ sqlState: '57P01', status: 503, route: FEED_ROUTE }]);
  });

  it('logs an unexpected error without the requested path', () => {
    const { sent, logged } = run(new TypeError('x is undefined'));
    expect(sent.status).toBe(500);
    expect(sent.body).not.toContain(TOKEN);
    expect(JSON.stringify(logged)).not.toContain(TOKEN);
    expect(logged).toHaveLength(1);
  });
});
