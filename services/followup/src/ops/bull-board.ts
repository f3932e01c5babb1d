import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type * as BullBoardFastify from '@bull-board/fastify';
import { AuthenticationError, extractBearerToken, isAllowed, JwtVerifier } from '@cit/auth';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ReminderQueues } from '../reminders/reminder-queues';

// @bull-board/fastify pulls @fastify/static 10, which requires the ESM-only content-disposition 3:
// Node (>= 20.19) loads it through its own require, jest's module registry cannot (and jest
// replaces node:module's createRequire). Loading the adapter through Node's own require keeps
// the service and its tests on the same code path.
const nodeRequire = (process as unknown as { getBuiltinModule(id: 'node:module'): typeof import('node:module') })
  .getBuiltinModule('node:module')
  .createRequire(__filename);
function bullBoardFastify(): typeof BullBoardFastify {
  return nodeRequire('@bull-board/fastify') as typeof BullBoardFastify;
}

export const BULL_BOARD_PATH = '/ops/queues';
/** Cookie a browser may carry the ops bearer token in (the board's own API calls send no Authorization header). */
export const OPS_TOKEN_COOKIE = 'cit_ops_token';
const READ_METHODS = new Set(['GET', 'HEAD']);

function tokenOf(req: FastifyRequest): string | undefined {
  const bearer = extractBearerToken(req.headers.authorization);
  if (bearer) return bearer;
  const cookie = req.headers.cookie
    ?.split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${OPS_TOKEN_COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.slice(OPS_TOKEN_COOKIE.length + 1)) : undefined;
}

function problem(reply: FastifyReply, status: number, title: string): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title, status }));
}

/**
 * Bull Board at /ops/queues behind the platform's JWT authentication: reading (GET) needs
 * ops or ops-admin; anything that changes a queue (retry, clean, promote, remove, pause) needs
 * ops-admin. Jobs carry ids only, so the board shows no PHI.
 */
@Injectable()
export class BullBoardInstaller implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly verifier: JwtVerifier,
    private readonly queues: ReminderQueues,
  ) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const serverAdapter = new (bullBoardFastify().FastifyAdapter)();
    createBullBoard({
      queues: [new BullMQAdapter(this.queues.reminders), new BullMQAdapter(this.queues.notifications)],
      serverAdapter,
      options: { uiConfig: { boardTitle: 'CIT follow-up queues' } },
    });
    serverAdapter.setBasePath(BULL_BOARD_PATH);
    fastify.addHook('onRequest', async (req, reply) => {
      if (
        req.url !== BULL_BOARD_PATH &&
        !req.url.startsWith(`${BULL_BOARD_PATH}/`) &&
        !req.url.startsWith(`${BULL_BOARD_PATH}?`)
      )
        return;
      const token = tokenOf(req);
      if (!token) return problem(reply, 401, 'Unauthorized');
      try {
        const principal = await this.verifier.verify(token);
        const roles = READ_METHODS.has(req.method) ? (['ops', 'ops-admin'] as const) : (['ops-admin'] as const);
        if (!isAllowed(principal, { roles: [...roles] })) return problem(reply, 403, 'Forbidden');
      } catch (err) {
        return problem(
          reply,
          err instanceof AuthenticationError && err.reason === 'issuer_unavailable' ? 503 : 401,
          'Unauthorized',
        );
      }
    });
    void fastify.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
  }
}
