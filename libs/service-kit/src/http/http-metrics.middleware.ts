import { httpMetrics } from '@cit/observability';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

const STARTED = Symbol('cit.httpMetricsStarted');

type Timed = Record<symbol, bigint | undefined>;

/**
 * Records duration and count of every request by route template (never the raw path: it may
 * hold ids). The labelled series are looked up once per method, route and status and kept,
 * so a request costs a clock read and two increments, not a label hash per metric.
 */
export function installHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const { duration, requests } = httpMetrics(registry);
  const series = new Map<string, { observe(seconds: number): void; inc(): void }>();
  const seriesFor = (method: string, route: string, status: string) => {
    const key = `${method} ${status} ${route}`;
    let s = series.get(key);
    if (!s) {
      const labels = { method, route, status };
      const h = duration.labels(labels);
      const c = requests.labels(labels);
      s = { observe: (seconds) => h.observe(seconds), inc: () => c.inc() };
      series.set(key, s);
    }
    return s;
  };
  app.addHook('onRequest', (req, _reply, done) => {
    (req as unknown as Timed)[STARTED] = process.hrtime.bigint();
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const started = (req as unknown as Timed)[STARTED];
    const s = seriesFor(req.method, req.routeOptions.url ?? 'unmatched', String(reply.statusCode));
    if (started !== undefined) s.observe(Number(process.hrtime.bigint() - started) / 1e9);
    s.inc();
    done();
  });
}
