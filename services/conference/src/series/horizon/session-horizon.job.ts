import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createLogger } from '@cit/observability';
import { systemScopeTransaction, tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { CONFERENCE_SYSTEM_SCOPES } from '../migrations/1765200000100-conference-series';
import { SERIES_OPTIONS, type SeriesOptions } from '../series-options';
import { SessionHorizonService } from './session-horizon.service';

/** Session-level advisory lock key ('cnfhrzn1'): one horizon pass at a time across replicas. */
export const HORIZON_LOCK_KEY = 0x636e6668727a6e31n;

/** What one pass did. */
export interface HorizonPassResult {
  /** False when another replica held the lock (this one did nothing). */
  ran: boolean;
  departments: number;
  created: number;
  failedDepartments: number;
}

/**
 * Periodically extends every department's active series to its horizon. Only the replica
 * holding the advisory lock runs a pass; each department is its own transaction, so one
 * department's failure neither blocks nor rolls back another's sessions.
 */
@Injectable()
export class SessionHorizonJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = createLogger('session-horizon');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<HorizonPassResult> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly horizon: SessionHorizonService,
    @Inject(SERIES_OPTIONS) private readonly options: SeriesOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.horizonIntervalMs <= 0) return;
    const tick = () => {
      if (this.stopped) return;
      void this.runOnce()
        .catch((err: Error) => this.logger.error({ err: err.name }, 'horizon pass failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.horizonIntervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, Math.min(this.options.horizonIntervalMs, 10_000)).unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over every department with active series (a pass already running is joined, not repeated). */
  runOnce(now = new Date()): Promise<HorizonPassResult> {
    this.running ??= this.pass(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(now: Date): Promise<HorizonPassResult> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [
        HORIZON_LOCK_KEY.toString(),
      ])) as { ok: boolean }[];
      if (!lock?.ok) return { ran: false, departments: 0, created: 0, failedDepartments: 0 };
      try {
        return await this.extendAll(now);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1::bigint)', [HORIZON_LOCK_KEY.toString()]);
      }
    } finally {
      await runner.release();
    }
  }

  private async extendAll(now: Date): Promise<HorizonPassResult> {
    const departments = await systemScopeTransaction(this.dataSource, CONFERENCE_SYSTEM_SCOPES.horizon, async (em) =>
      (
        (await em.query(
          `SELECT DISTINCT department_id FROM conference_series WHERE status = 'active' ORDER BY department_id`,
        )) as { department_id: string }[]
      ).map((r) => r.department_id),
    );
    const correlationId = `horizon:${randomUUID()}`;
    let created = 0;
    let failed = 0;
    for (const departmentId of departments) {
      if (this.stopped) break;
      try {
        created += await tenantTransaction(this.dataSource, departmentId, (em) =>
          this.horizon.extendDepartment(em, { departmentId, correlationId }, now),
        );
      } catch (err) {
        failed++;
        this.logger.error({ departmentId, err: (err as Error).name }, 'horizon pass failed for a department');
      }
    }
    if (created > 0 || failed > 0) {
      this.logger.info({ departments: departments.length, created, failed, correlationId }, 'horizon pass');
    }
    return { ran: true, departments: departments.length, created, failedDepartments: failed };
  }
}
