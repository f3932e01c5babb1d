import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { BlindIndex } from '@cit/persistence';
import { SERVICE_ENV, type ServiceEnv } from '@cit/service-kit';
import { IMPORT_LIMITS, type ImportLimits } from '../import-limits';
import type { PrepareResult, PrepareTask, PrepareWorkerData } from './prepare-rows.worker';
import { WorkerPool } from './worker-pool';

/**
 * Heap cap of one preparation worker. A task's live data is a few hundred rows (about 2 MB);
 * the cap also keeps V8 from letting garbage pile up to its default limit, which counts in
 * the service's RSS. Workers compiling TypeScript on the fly (tests) need room for tsx.
 */
const WORKER_HEAP_MB = 48;
const WORKER_HEAP_MB_FROM_SOURCE = 256;

/**
 * The pool of preparation workers of this process (INTAKE_IMPORT_WORKERS threads, shared by
 * every running import), started on the first import and stopped with the service.
 */
@Injectable()
export class ImportWorkers implements OnApplicationShutdown {
  private pool: WorkerPool<PrepareTask, PrepareResult> | undefined;

  constructor(
    @Inject(SERVICE_ENV) private readonly env: ServiceEnv,
    @Inject(IMPORT_LIMITS) private readonly limits: ImportLimits,
    private readonly blindIndex: BlindIndex,
  ) {}

  get(): WorkerPool<PrepareTask, PrepareResult> {
    if (!this.pool) {
      const data: PrepareWorkerData = {
        phiKeys: [...this.env.PHI_KEYS].map(([kid, key]) => [kid, new Uint8Array(key.reveal())]),
        activeKeyId: this.env.PHI_ACTIVE_KEY_ID,
        blindIndex: this.blindIndex.settings(),
      };
      this.pool = new WorkerPool<PrepareTask, PrepareResult>({
        size: this.limits.workers,
        spawn: () => spawnPrepareWorker(data),
      });
    }
    return this.pool;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}

function spawnPrepareWorker(workerData: PrepareWorkerData): Worker {
  const built = join(__dirname, 'prepare-rows.worker.js');
  if (existsSync(built))
    return new Worker(built, { workerData, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  // Running from TypeScript sources (tests, tsx): the worker compiles its module with tsx.
  const source = join(__dirname, 'prepare-rows.worker.ts');
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`, {
    workerData,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB_FROM_SOURCE },
    eval: true,
  });
}
