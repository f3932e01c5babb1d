import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { newId } from '@cit/contracts';
import { createLogger } from '@cit/observability';
import { systemScopeTransaction, tenantTransaction } from '@cit/persistence';
import { METRICS_REGISTRY } from '@cit/service-kit';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { AGENDA_OPTIONS, type AgendaOptions } from '../agenda-options';
import { AgendaScheduler, type SweepSummary } from '../agenda-scheduler';
import { AGENDA_SWEEP_SCOPE } from '../migrations/1765200000300-agenda-initial';

/** What one sweep did, summed over the departments it visited (null: another instance is the leader). */
export type SweepRun = (SweepSummary & { departments: number }) | null;

/**
 * The carry-over sweep: every sweepIntervalMs, the instance holding the sweep lock visits the
 * departments with an agenda (least recently swept first), carries over cases of sessions
 * that passed without an outcome, moves cases left on cancelled sessions and places every
 * open case without a place. Bounded: sweepDepartments per run, sweepItems per department.
 */
@Injectable()
export class AgendaSweepService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = createLogger('agenda-sweep');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private readonly cases: Counter<'change'>;
  private readonly waiting: Gauge;
  private readonly duration: Histogram;

  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: AgendaScheduler,
    @Inject(AGENDA_OPTIONS) private readonly options: AgendaOptions,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.cases = new Counter({
      name: 'cit_conference_agenda_sweep_cases_total',
      help: 'Agenda changes made by the sweep: carried-over, moved (left on a cancelled session), placed',
      labelNames: ['change'],
      registers: [registry],
    });
    this.waiting = new Gauge({
      name: 'cit_conference_agenda_unplaced_cases',
      help: 'Open cases no upcoming session had room for at the last sweep (departments it visited)',
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'cit_conference_agenda_sweep_duration_seconds',
      help: 'Duration of one sweep pass by the leader',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    if (this.options.sweepIntervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((err: Error) => this.logger.error({ err: { message: err.message } }, 'agenda sweep failed'))
        .finally(() => (this.running = undefined));
    }, this.options.sweepIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass (only if this instance wins the sweep lock). */
  async sweep(now = new Date()): Promise<SweepRun> {
    // A session-level lock on a connection of its own: held for the whole pass, released even
    // if the pass fails, and dropped by PostgreSQL if this process dies.
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ leader }]: Array<{ leader: boolean }> = await runner.query(
        `SELECT pg_try_advisory_lock(hashtext('cit.conference.agenda-sweep'), 0) AS leader`,
      );
      if (!leader) return null;
      const stop = this.duration.startTimer();
      try {
        const run = await this.pass(now);
        this.cases.inc({ change: 'carried-over' }, run.carriedOver);
        this.cases.inc({ change: 'moved' }, run.moved);
        this.cases.inc({ change: 'placed' }, run.placed);
        this.waiting.set(run.unplaced);
        return run;
      } finally {
        stop();
        await runner.query(`SELECT pg_advisory_unlock(hashtext('cit.conference.agenda-sweep'), 0)`);
      }
    } finally {
      await runner.release();
    }
  }

  private async pass(now: Date): Promise<NonNullable<SweepRun>> {
    const departments = (await systemScopeTransaction(this.dataSource, AGENDA_SWEEP_SCOPE, (em) =>
      em.query(
        `SELECT department_id FROM agenda_department ORDER BY last_swept_at NULLS FIRST, department_id LIMIT $1`,
        [this.options.sweepDepartments],
      ),
    )) as Array<{ department_id: string }>;
    const total = { departments: 0, placed: 0, unplaced: 0, carriedOver: 0, moved: 0 };
    for (const { department_id: departmentId } of departments) {
      const correlationId = newId('corr');
      const done = await tenantTransaction(this.dataSource, departmentId, (em) =>
        this.scheduler.sweepDepartment(
          em,
          { departmentId, correlationId },
          { now, graceMs: this.options.carryOverGraceMs, maxItems: this.options.sweepItems },
        ),
      );
      total.departments++;
      total.placed += done.placed;
      total.unplaced += done.unplaced;
      total.carriedOver += done.carriedOver;
      total.moved += done.moved;
      if (done.placed || done.carriedOver || done.moved)
        this.logger.info({ departmentId, correlationId, ...done }, 'agenda swept');
    }
    return total;
  }
}
