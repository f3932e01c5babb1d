import { Worker } from 'node:worker_threads';
import { WorkerPool, WorkerTaskError } from './worker-pool';

/**
 * Real threads running small eval'd workers: answers `{ id, output }` with input * 2, exits
 * the thread on `crash`, reports an error on `fail`. `crashes` counts crashes across
 * restarts (shared memory), so "crash the first time only" can be expressed.
 */
function spawnWith(shared: Int32Array) {
  return () =>
    new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const crashes = new Int32Array(workerData.buffer);
       parentPort.on('message', ({ id, input }) => {
         if (input.crash === 'always' || (input.crash === 'once' && Atomics.compareExchange(crashes, 0, 0, 1) === 0)) process.exit(7);
         if (input.fail) return parentPort.postMessage({ id, error: 'task said no' });
         setTimeout(() => parentPort.postMessage({ id, output: input.n * 2 }), input.delay ?? 0);
       });`,
      { eval: true, workerData: { buffer: shared.buffer } },
    );
}

describe('WorkerPool', () => {
  let pool: WorkerPool<{ n: number; crash?: 'once' | 'always'; fail?: boolean; delay?: number }, number>;
  let crashes: Int32Array;

  beforeEach(() => {
    crashes = new Int32Array(new SharedArrayBuffer(4));
    pool = new WorkerPool({ size: 2, spawn: spawnWith(crashes) });
  });
  afterEach(() => pool.close());

  it('runs tasks on every worker and answers each its own result, whatever the finishing order', async () => {
    const results = await Promise.all([5, 0, 3, 1].map((d, n) => pool.run({ n, delay: d * 10 })));
    expect(results).toEqual([0, 2, 4, 6]);
  });

  it('re-runs the task of a worker that died on a fresh worker: nothing lost, nothing twice', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, n) => pool.run({ n, crash: n === 2 ? 'once' : undefined })),
    );
    expect(results).toEqual([0, 2, 4, 6, 8, 10]);
    expect(Atomics.load(crashes, 0)).toBe(1);
    expect(pool.restartCount).toBe(1);
    // The replacement works on.
    expect(await pool.run({ n: 21 })).toBe(42);
  });

  it('fails a task whose worker dies on every attempt, and only that task', async () => {
    const doomed = pool.run({ n: 1, crash: 'always' });
    const fine = pool.run({ n: 2 });
    await expect(doomed).rejects.toThrow(WorkerTaskError);
    await expect(doomed).rejects.toThrow(/failed 2 times/);
    expect(await fine).toBe(4);
    expect(await pool.run({ n: 3 })).toBe(6);
  });

  it('reports a task error to that task without restarting the worker', async () => {
    await expect(pool.run({ n: 1, fail: true })).rejects.toThrow('task said no');
    expect(pool.restartCount).toBe(0);
    expect(await pool.run({ n: 4 })).toBe(8);
  });

  it('stops respawning workers that cannot start, failing what waits', async () => {
    const broken = new WorkerPool<{ n: number }, number>({
      size: 1,
      spawn: () => new Worker('process.exit(1)', { eval: true }),
    });
    try {
      await expect(broken.run({ n: 1 })).rejects.toThrow(WorkerTaskError);
      await new Promise((r) => setTimeout(r, 300));
      await expect(broken.run({ n: 2 })).rejects.toThrow(/keep failing|failed/);
    } finally {
      await broken.close();
    }
  });

  it('refuses work after close', async () => {
    await pool.close();
    await expect(pool.run({ n: 1 })).rejects.toThrow('closed');
  });
});
