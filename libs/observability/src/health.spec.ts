import { checkAll, readinessBody, type HealthIndicator } from './health';

const ok: HealthIndicator = { name: 'a', check: async () => ({ ok: true }) };
const failing: HealthIndicator = { name: 'b', check: async () => Promise.reject(new Error('connection refused')) };
const hanging: HealthIndicator = { name: 'c', check: () => new Promise(() => undefined) };

describe('checkAll', () => {
  it('is ready only when every indicator is ok', async () => {
    expect((await checkAll([ok])).ok).toBe(true);
    const result = await checkAll([ok, failing], 100);
    expect(result.ok).toBe(false);
    expect(result.checks.b).toEqual({ ok: false, error: 'connection refused' });
  });

  it('fails an indicator that does not answer in time', async () => {
    const result = await checkAll([hanging], 50);
    expect(result.checks.c).toMatchObject({ ok: false, error: 'timed out after 50 ms' });
  });
});

describe('readinessBody', () => {
  it('names each check and whether it passed, never its error or details', async () => {
    const detailed: HealthIndicator = { name: 'kafka', check: async () => ({ ok: true, detail: { lag: 3 } }) };
    const body = readinessBody(await checkAll([detailed, failing], 100));
    expect(body).toEqual({ status: 'unavailable', checks: { kafka: 'ok', b: 'failed' } });
    expect(JSON.stringify(body)).not.toContain('connection refused');
    expect(readinessBody(await checkAll([ok]))).toEqual({ status: 'ok', checks: { a: 'ok' } });
  });
});
