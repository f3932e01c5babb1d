import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { problemType } from '@cit/contracts';

/** How long any request may take to arrive whole: Node's own server.requestTimeout default. */
export const DEFAULT_REQUEST_DEADLINE_MS = 300_000;

const timers = new WeakMap<IncomingMessage, NodeJS.Timeout>();

/**
 * Gives a request until `ms` from now to arrive whole; past that it is answered 408
 * (problem+json) and its connection closed. Replaces any deadline set before, so a route
 * (the import) can extend the default one every request gets.
 */
export function setRequestDeadline(req: IncomingMessage, res: ServerResponse, ms: number): void {
  clearTimeout(timers.get(req));
  if (req.complete) return;
  const timer = setTimeout(() => {
    if (req.complete) return;
    if (!res.headersSent) {
      const problem = {
        type: problemType('request-timeout'),
        title: 'Request timeout',
        status: 408,
        detail: `The request did not arrive within ${ms} ms.`,
      };
      res
        .writeHead(408, { 'content-type': 'application/problem+json', connection: 'close' })
        .end(JSON.stringify(problem));
    }
    req.socket.destroy();
  }, ms);
  timer.unref();
  timers.set(req, timer);
  const clear = () => clearTimeout(timer);
  req.once('end', clear);
  req.once('close', clear);
}

/** Installs the deadline on the server itself, ahead of Express, so body parsing is covered too. */
export function installRequestDeadlines(server: Server, defaultMs = DEFAULT_REQUEST_DEADLINE_MS): void {
  // Node's requestTimeout is one value for the whole server and cannot be raised for one
  // route; the per-request deadline above takes its place (same default for every route).
  server.requestTimeout = 0;
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) =>
    setRequestDeadline(req, res, defaultMs),
  );
}

/** Intake's HTTP server: every request gets the default deadline; the import route raises its own (setRequestDeadline). */
@Injectable()
export class RequestDeadlines implements OnApplicationBootstrap {
  constructor(private readonly adapter: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    installRequestDeadlines(this.adapter.httpAdapter.getHttpServer() as Server);
  }
}
