import { MicroBatcher, type BatchResult } from './micro-batcher';

describe('MicroBatcher', () => {
  it('flushes items submitted together as one batch and keeps per-item outcomes', async () => {
    const sizes: number[] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        return items.map(
          (n): BatchResult<number> =>
            n < 0 ? { ok: false, error: new Error(`bad ${n}`) } : { ok: true, value: n * 2 },
        );
      },
      { maxBatch: 100, maxConcurrent: 1 },
    );
    const results = await Promise.allSettled([1, 2, -3, 4].map((n) => batcher.submit(n)));
    expect(sizes).toEqual([4]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      2,
      4,
      'bad -3',
      8,
    ]);
  });

  it('grows batches while a flush is running and respects maxBatch', async () => {
    const sizes: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        if (sizes.length === 1) await gate;
        return items.map((n) => ({ ok: true as const, value: n }));
      },
      { maxBatch: 3, maxConcurrent: 1 },
    );
    const first = batcher.submit(0);
    await new Promise((r) => setImmediate(r));
    const rest = [1, 2, 3, 4, 5].map((n) => batcher.submit(n));
    await new Promise((r) => setImmediate(r));
    expect(batcher.queued).toBe(5);
    release();
    await Promise.all([first, ...rest]);
    expect(sizes).toEqual([1, 3, 2]);
  });

  it('rejects every item of a batch whose flush throws', async () => {
    const batcher = new MicroBatcher<number, number>(async () => Promise.reject(new Error('db down')), {
      maxBatch: 10,
      maxConcurrent: 2,
    });
    await expect(Promise.all([batcher.submit(1), batcher.submit(2)])).rejects.toThrow('db down');
  });
});
