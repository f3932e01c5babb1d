import { checkAll, readinessBody, type HealthIndicator } from './health';

const ok: HealthIndicator = { name: 'a', check: async () => ({ ok: true }) };
const failing: HealthIndicator = { name: 'b', check: async () => Promise.reject(new Error('connection refused')) };
const hanging: HealthIndicator = { name: 'c', check: () => new Promise(() => undefined) };

describe('checkAll', () => {
  it('is ready only when every indicator is ok', async () => {
    expect((await checkAll([ok])).ok).toBe(true);
    const result = await checkAll([ok, failing], 100);
    expect(result.ok).toBe(false);
    expect(result.checks.b).toMatchObject({ ok: false, error: 'connection refused', gatesReadiness: true });
  });

  it('stays ready, but degraded, when only a non-gating indicator fails', async () => {
    const broker: HealthIndicator = { ...failing, name: 'broker', gatesReadiness: false };
    const result = await checkAll([ok, broker], 100);
    expect(result).toMatchObject({ ok: true, degraded: true });
    expect(result.checks.broker).toMatchObject({ ok: false, gatesReadiness: false });
    expect(typeof result.checks.broker!.latencyMs).toBe('number');
    expect(await checkAll([ok], 100)).toMatchObject({ ok: true, degraded: false });
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

  it('leaves out the checks that do not gate readiness', async () => {
    const broker: HealthIndicator = { ...failing, name: 'broker', gatesReadiness: false };
    expect(readinessBody(await checkAll([ok, broker], 100))).toEqual({ status: 'ok', checks: { a: 'ok' } });
  });
});
