import { assessConsumerHealth, partitionLag, type ConsumerStatus } from './consumer-health';

describe('partitionLag', () => {
  it('counts the messages after the processed offset up to the high watermark', () => {
    expect(partitionLag('10', '4')).toBe(5);
    expect(partitionLag('10', '9')).toBe(0);
  });

  it('never goes negative (watermark from an older fetch)', () => {
    expect(partitionLag('5', '9')).toBe(0);
  });

  it('handles offsets beyond 2^53 without losing the difference', () => {
    expect(partitionLag('9007199254740995', '9007199254740990')).toBe(4);
  });
});

describe('assessConsumerHealth', () => {
  const now = new Date('2025-01-01T00:10:00Z');
  const base: ConsumerStatus = {
    connected: true,
    running: true,
    startedAt: new Date('2025-01-01T00:00:00Z'),
    lastProgressAt: null,
    lag: {},
  };

  it('is healthy when caught up, however long ago the last message was', () => {
    expect(assessConsumerHealth({ ...base, lag: { 't/0': 0 } }, now, 60_000).healthy).toBe(true);
  });

  it('is unhealthy when behind with no progress for longer than the stall window', () => {
    const status = { ...base, lag: { 't/0': 3 }, lastProgressAt: new Date('2025-01-01T00:08:00Z') };
    expect(assessConsumerHealth(status, now, 60_000)).toEqual({
      healthy: false,
      reason: expect.stringContaining('lag 3'),
    });
  });

  it('is healthy when behind but making progress', () => {
    const status = { ...base, lag: { 't/0': 3, 't/1': 2 }, lastProgressAt: new Date('2025-01-01T00:09:30Z') };
    expect(assessConsumerHealth(status, now, 60_000).healthy).toBe(true);
  });

  it('is unhealthy when crashed or not running', () => {
    expect(assessConsumerHealth({ ...base, crashed: { name: 'E', message: 'boom' } }, now, 60_000).healthy).toBe(false);
    expect(assessConsumerHealth({ ...base, running: false }, now, 60_000).healthy).toBe(false);
  });
});
