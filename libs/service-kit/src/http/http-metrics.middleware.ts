import { httpMetrics } from '@cit/observability';
import type { NextFunction, Request, Response } from 'express';
import type { Registry } from 'prom-client';

/** Records duration and count of every request by route template (never the raw path: it may hold ids). */
export function httpMetricsMiddleware(registry: Registry) {
  const { duration, requests } = httpMetrics(registry);
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const labels = { method: req.method, route: `${req.baseUrl ?? ''}${route}`, status: String(res.statusCode) };
      end(labels);
      requests.inc(labels);
    });
    next();
  };
}
