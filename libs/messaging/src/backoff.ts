/** Exponential backoff settings: delay = min(maxMs, baseMs * 2^(attempt-1)), optionally jittered. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Fraction (0..1) of the delay that is randomised, so replicas do not retry in lockstep. */
  jitter?: number;
}

/** Delay before retry number `attempt` (1-based); `random` is injectable for tests. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2^n overflows to Infinity for large n; min() with maxMs keeps it finite.
  const raw = Math.min(options.maxMs, options.baseMs * 2 ** (n - 1));
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0));
  if (jitter === 0) return raw;
  return Math.round(raw * (1 - jitter) + raw * jitter * random());
}

/** Resolves after ms, or earlier when the signal aborts (shutdown must not wait out a backoff). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
