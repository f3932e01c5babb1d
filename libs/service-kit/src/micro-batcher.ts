/** The outcome of one item of a batch: items fail or succeed on their own. */
export type BatchResult<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface MicroBatcherOptions {
  /** Most items in one flush. */
  maxBatch: number;
  /** Flushes running at once; further items wait and join the next, larger batch. */
  maxConcurrent: number;
}

/**
 * Group commit: items submitted while earlier flushes are running are flushed together.
 * At low load a batch holds one item and adds no latency; under load batches grow, so
 * the fixed cost of a transaction is shared by many requests.
 */
export class MicroBatcher<I, O> {
  private pending: { item: I; resolve: (v: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly flush: (items: I[]) => Promise<BatchResult<O>[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  /** Queues an item; resolves with its own result once its batch is flushed. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Requests that arrive in the same turn of the event loop share a batch.
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Items waiting for a flush. */
  get queued(): number {
    return this.pending.length;
  }

  private pump(): void {
    while (this.inFlight < this.options.maxConcurrent && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.flush(batch.map((b) => b.item))
        .then(
          (results) =>
            batch.forEach((b, i) => {
              const r = results[i];
              if (r?.ok) b.resolve(r.value);
              else b.reject(r ? r.error : new Error('batch returned no result for an item'));
            }),
          (err: unknown) => batch.forEach((b) => b.reject(err)),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}
