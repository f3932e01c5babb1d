import type { Worker } from 'node:worker_threads';

/** A task handed to a worker: `{ id, input }` goes out, `{ id, output }` or `{ id, error }` comes back. */
interface Task<I, O> {
  id: number;
  input: I;
  attempts: number;
  resolve(output: O): void;
  reject(err: Error): void;
}

interface Slot<I, O> {
  worker: Worker;
  task?: Task<I, O>;
}

export interface WorkerPoolOptions {
  /** Number of worker threads. */
  size: number;
  /** Starts one worker (the pool replaces a worker that dies). */
  spawn(): Worker;
  /** Tries per task: a task whose worker died is run again on a fresh worker (tasks have no side effects). */
  maxAttempts?: number;
}

/** Why a task failed: its worker died on every attempt, or it threw (message only, never row content). */
export class WorkerTaskError extends Error {}

/**
 * A fixed pool of worker threads running side-effect-free tasks in FIFO order. A worker that
 * dies (crash, exit, out of memory) is replaced and its task re-run, up to maxAttempts; an
 * error the task itself reports fails that task only. Callers bound how many tasks they keep
 * in flight (that is the backpressure); the pool only queues what they submit.
 */
export class WorkerPool<I, O> {
  private readonly slots: Slot<I, O>[] = [];
  private readonly queue: Task<I, O>[] = [];
  private nextId = 1;
  private closed = false;
  private restarts = 0;
  /** Deaths since the last task completed: a worker that cannot even start must not respawn forever. */
  private deathsInARow = 0;
  private broken: string | undefined;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new Error('WorkerPool: size must be at least 1');
    for (let i = 0; i < options.size; i++) this.slots.push(this.start());
  }

  get size(): number {
    return this.options.size;
  }

  /** Worker replacements since the pool started (a crash each). */
  get restartCount(): number {
    return this.restarts;
  }

  /** The threads and whether each is running a task (metrics, tests). */
  threads(): { worker: Worker; busy: boolean }[] {
    return this.slots.map((s) => ({ worker: s.worker, busy: s.task !== undefined }));
  }

  run(input: I): Promise<O> {
    if (this.closed) return Promise.reject(new WorkerTaskError('worker pool closed'));
    if (this.broken) return Promise.reject(new WorkerTaskError(this.broken));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, attempts: 0, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new WorkerTaskError('worker pool closed'));
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.task?.reject(new WorkerTaskError('worker pool closed'));
        slot.task = undefined;
        await slot.worker.terminate();
      }),
    );
  }

  private start(): Slot<I, O> {
    const slot: Slot<I, O> = { worker: this.options.spawn() };
    const worker = slot.worker;
    worker.on('message', (msg: { id: number; output?: O; error?: string }) => {
      const task = slot.task;
      if (!task || task.id !== msg.id) return;
      slot.task = undefined;
      this.deathsInARow = 0;
      if (msg.error !== undefined) task.reject(new WorkerTaskError(msg.error));
      else task.resolve(msg.output as O);
      this.dispatch();
    });
    let gone = false;
    const died = (why: string) => {
      if (gone) return;
      gone = true;
      if (this.closed) return;
      const task = slot.task;
      slot.task = undefined;
      const index = this.slots.indexOf(slot);
      this.restarts++;
      if (++this.deathsInARow > this.options.size * 5) {
        // Every worker dies without finishing anything: stop, and fail what waits.
        this.broken = `import workers keep failing (${why})`;
        if (index !== -1) this.slots.splice(index, 1);
        task?.reject(new WorkerTaskError(this.broken));
        for (const t of this.queue.splice(0)) t.reject(new WorkerTaskError(this.broken));
        return;
      }
      if (index !== -1) this.slots[index] = this.start();
      if (task) {
        if (++task.attempts < (this.options.maxAttempts ?? 2)) this.queue.unshift(task);
        else task.reject(new WorkerTaskError(`import worker failed ${task.attempts} times (${why})`));
      }
      this.dispatch();
    };
    worker.on('error', (err) => died(err.name));
    worker.on('exit', (code) => died(`exit ${code}`));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.task) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.postMessage({ id: task.id, input: task.input });
    }
  }
}
