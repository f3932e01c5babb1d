import { httpMetrics } from '@cit/observability';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

const STARTED = Symbol('cit.httpMetricsStarted');

/** Records duration and count of every request by route template (never the raw path: it may hold ids). */
export function installHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const { duration, requests } = httpMetrics(registry);
  app.addHook('onRequest', (req, _reply, done) => {
    (req as unknown as Record<symbol, unknown>)[STARTED] = duration.startTimer();
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const end = (req as unknown as Record<symbol, ((labels: Record<string, string>) => void) | undefined>)[STARTED];
    const labels = { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    end?.(labels);
    requests.inc(labels);
    done();
  });
}
