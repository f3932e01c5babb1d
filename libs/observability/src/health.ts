/** Outcome of one readiness check. */
export interface HealthResult {
  ok: boolean;
  detail?: Record<string, unknown>;
  error?: string;
}

/** A named dependency check used by GET /health/ready and the health detail. */
export interface HealthIndicator {
  readonly name: string;
  /**
   * False for a dependency the instance can serve without (the broker, for a service whose
   * outbox keeps accepting): it shows in the detail but never makes the instance unready.
   * Default true.
   */
  readonly gatesReadiness?: boolean;
  check(): Promise<HealthResult>;
}

/** One check as run by checkAll: its result, whether it gates readiness, and how long it took. */
export interface CheckedResult extends HealthResult {
  gatesReadiness: boolean;
  latencyMs: number;
}

/** Outcome of checkAll: ready when every gating check is ok; degraded when a non-gating one is not. */
export interface HealthReport {
  ok: boolean;
  degraded: boolean;
  checks: Record<string, CheckedResult>;
}

/** Runs every indicator with a timeout; the service is ready only when every gating one is ok. */
export async function checkAll(indicators: readonly HealthIndicator[], timeoutMs = 2000): Promise<HealthReport> {
  const entries = await Promise.all(
    indicators.map(async (i): Promise<[string, CheckedResult]> => {
      const started = performance.now();
      const gatesReadiness = i.gatesReadiness ?? true;
      const done = (r: HealthResult): [string, CheckedResult] => [
        i.name,
        { ...r, gatesReadiness, latencyMs: Math.round(performance.now() - started) },
      ];
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<HealthResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, error: `timed out after ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        return done(await Promise.race([i.check(), timeout]));
      } catch (err) {
        return done({ ok: false, error: err instanceof Error ? err.message : String(err) });
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  return {
    ok: entries.every(([, r]) => r.ok || !r.gatesReadiness),
    degraded: entries.some(([, r]) => !r.ok && !r.gatesReadiness),
    checks,
  };
}

/** Readiness of a SQL database: it answers SELECT 1. */
export function databaseIndicator(db: { query(sql: string): Promise<unknown> }, name = 'database'): HealthIndicator {
  return {
    name,
    async check() {
      await db.query('SELECT 1');
      return { ok: true };
    },
  };
}

/** Readiness of Redis: it answers PING. */
export function redisIndicator(redis: { ping(): Promise<string> }, name = 'redis'): HealthIndicator {
  return {
    name,
    async check() {
      const pong = await redis.ping();
      return { ok: pong === 'PONG' };
    },
  };
}

/** What GET /health/ready may say in public: each check's name and whether it passed, never its error or details. */
export interface ReadinessBody {
  status: 'ok' | 'unavailable';
  checks: Record<string, 'ok' | 'failed'>;
}

/**
 * The public body of a readiness result: the gating checks only. Raw errors name hosts,
 * ports, users and database objects; they go to the log and the ops-only health detail,
 * not to whoever can reach the port.
 */
export function readinessBody(result: {
  ok: boolean;
  checks: Record<string, HealthResult & { gatesReadiness?: boolean }>;
}): ReadinessBody {
  return {
    status: result.ok ? 'ok' : 'unavailable',
    checks: Object.fromEntries(
      Object.entries(result.checks)
        .filter(([, r]) => r.gatesReadiness !== false)
        .map(([name, r]) => [name, r.ok ? 'ok' : 'failed']),
    ),
  };
}
