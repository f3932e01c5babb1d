import {
  assessBroker,
  assessConsumer,
  assessOutbox,
  type ConsumerSnapshot,
  type OutboxSnapshot,
} from './dependency-health';

const at = (iso: string) => new Date(iso);

describe('assessOutbox', () => {
  const idle: OutboxSnapshot = {
    leader: true,
    backlog: 0,
    oldestPendingAgeSeconds: 0,
    setAside: 0,
    lastPublishAt: null,
    lastError: null,
    failingSince: null,
  };
  const limits = { maxBacklog: 1000, maxAgeSeconds: 600 };

  it('stays ok while the broker is away and the backlog is within its bounds', () => {
    const growing = {
      ...idle,
      backlog: 999,
      oldestPendingAgeSeconds: 599.94,
      lastError: 'KafkaJSConnectionError: Connection error: connect ECONNREFUSED',
      failingSince: at('2026-01-01T00:00:00Z'),
    };
    const result = assessOutbox(growing, limits);
    expect(result.ok).toBe(true);
    expect(result.detail).toMatchObject({
      backlog: 999,
      oldestPendingAgeSeconds: 599.9,
      publishFailingSince: '2026-01-01T00:00:00.000Z',
      limits: { maxBacklog: 1000, maxAgeSeconds: 600 },
    });
  });

  it('fails past the row bound, naming it', () => {
    const result = assessOutbox({ ...idle, backlog: 1001 }, limits);
    expect(result).toMatchObject({ ok: false, error: 'backlog of 1001 rows exceeds OUTBOX_MAX_BACKLOG 1000' });
  });

  it('fails past the age bound, naming it', () => {
    const result = assessOutbox({ ...idle, backlog: 3, oldestPendingAgeSeconds: 601 }, limits);
    expect(result.ok).toBe(false);
    expect(result.error).toContain('OUTBOX_MAX_BACKLOG_AGE_SECONDS 600');
  });

  it('treats a zero bound as none', () => {
    expect(
      assessOutbox(
        { ...idle, backlog: 10 ** 7, oldestPendingAgeSeconds: 10 ** 6 },
        { maxBacklog: 0, maxAgeSeconds: 0 },
      ),
    ).toMatchObject({ ok: true, detail: { limits: { maxBacklog: null, maxAgeSeconds: null } } });
  });

  it('fails when the backlog cannot be counted', () => {
    expect(assessOutbox({ ...idle, backlog: null, oldestPendingAgeSeconds: null }, limits).ok).toBe(false);
  });
});

describe('assessConsumer', () => {
  const now = at('2026-01-01T00:01:00Z');
  const base: ConsumerSnapshot = {
    healthy: true,
    connected: true,
    running: true,
    startedAt: at('2026-01-01T00:00:00Z'),
    lastProgressAt: null,
    lastFetchAt: at('2026-01-01T00:00:59Z'),
    lastHeartbeatAt: at('2026-01-01T00:00:58Z'),
    lag: {},
  };

  it('is ok while the broker answers its fetches', () => {
    expect(assessConsumer(base, now, 15_000).ok).toBe(true);
  });

  it('fails when neither a fetch nor a heartbeat was answered lately, even with no lag', () => {
    const silent = { ...base, lastFetchAt: at('2026-01-01T00:00:40Z'), lastHeartbeatAt: at('2026-01-01T00:00:44Z') };
    expect(assessConsumer(silent, now, 15_000)).toMatchObject({
      ok: false,
      error: 'no fetch or heartbeat answered for 16 s',
    });
  });

  it('counts a heartbeat as contact while a long batch holds the fetches', () => {
    const busy = { ...base, lastFetchAt: at('2026-01-01T00:00:10Z'), lastHeartbeatAt: at('2026-01-01T00:00:55Z') };
    expect(assessConsumer(busy, now, 15_000).ok).toBe(true);
  });

  it('reports the consumer health reason (crash, stall) first', () => {
    expect(assessConsumer({ ...base, healthy: false, reason: 'not running' }, now, 15_000)).toMatchObject({
      ok: false,
      error: 'not running',
    });
  });

  it('measures from the start when the consumer never fetched', () => {
    const fresh = { ...base, lastFetchAt: null, lastHeartbeatAt: null, startedAt: at('2026-01-01T00:00:50Z') };
    expect(assessConsumer(fresh, now, 15_000).ok).toBe(true);
    expect(assessConsumer({ ...fresh, startedAt: at('2026-01-01T00:00:00Z') }, now, 15_000).ok).toBe(false);
  });
});

describe('assessBroker', () => {
  it('reports the probe with its times', () => {
    const down = {
      reachable: false,
      checkedAt: at('2026-01-01T00:00:10Z'),
      error: 'KafkaJSConnectionError: Connection error',
      lastReachableAt: at('2026-01-01T00:00:00Z'),
      unreachableSince: at('2026-01-01T00:00:05Z'),
    };
    expect(assessBroker(down)).toMatchObject({
      ok: false,
      error: 'KafkaJSConnectionError: Connection error',
      detail: { reachable: false, unreachableSince: '2026-01-01T00:00:05.000Z' },
    });
    expect(assessBroker({ ...down, reachable: true, brokers: 3, unreachableSince: null })).toMatchObject({
      ok: true,
      detail: { brokers: 3, unreachableSince: null },
    });
  });
});
