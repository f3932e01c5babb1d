/** Outcome of one readiness check. */
export interface HealthResult {
  ok: boolean;
  detail?: Record<string, unknown>;
  error?: string;
}

/** A named dependency check used by GET /health/ready. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<HealthResult>;
}

/** Runs every indicator with a timeout; the service is ready only when all are ok. */
export async function checkAll(
  indicators: readonly HealthIndicator[],
  timeoutMs = 2000,
): Promise<{ ok: boolean; checks: Record<string, HealthResult> }> {
  const entries = await Promise.all(
    indicators.map(async (i): Promise<[string, HealthResult]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<HealthResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, error: `timed out after ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        const result = await Promise.race([i.check(), timeout]);
        return [i.name, result];
      } catch (err) {
        return [i.name, { ok: false, error: err instanceof Error ? err.message : String(err) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  return { ok: entries.every(([, r]) => r.ok), checks };
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
 * The public body of a readiness result. Raw errors name hosts, ports, users and database
 * objects; they go to the log, not to whoever can reach the port.
 */
export function readinessBody(result: { ok: boolean; checks: Record<string, HealthResult> }): ReadinessBody {
  return {
    status: result.ok ? 'ok' : 'unavailable',
    checks: Object.fromEntries(Object.entries(result.checks).map(([name, r]) => [name, r.ok ? 'ok' : 'failed'])),
  };
}
