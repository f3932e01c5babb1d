import { backoffDelay, sleep } from './backoff';

describe('backoffDelay', () => {
  const opts = { baseMs: 100, maxMs: 5000 };

  it('doubles from the base delay per attempt', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts))).toEqual([100, 200, 400, 800, 1600]);
  });

  it('is capped at maxMs, also for huge attempt numbers', () => {
    expect(backoffDelay(7, opts)).toBe(5000);
    expect(backoffDelay(10_000, opts)).toBe(5000);
  });

  it('treats attempts below 1 as the first', () => {
    expect(backoffDelay(0, opts)).toBe(100);
    expect(backoffDelay(-3, opts)).toBe(100);
  });

  it('jitters within [delay*(1-jitter), delay]', () => {
    expect(backoffDelay(3, { ...opts, jitter: 0.5 }, () => 0)).toBe(200);
    expect(backoffDelay(3, { ...opts, jitter: 0.5 }, () => 1)).toBe(400);
    expect(backoffDelay(3, { ...opts, jitter: 0.5 }, () => 0.5)).toBe(300);
  });
});

describe('sleep', () => {
  it('ends early when the signal aborts', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const done = sleep(10_000, ac.signal);
    ac.abort();
    await done;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
