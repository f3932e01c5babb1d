import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createLogger } from '@cit/observability';
import { systemScopeTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { PERSON_RETENTION_SCOPE } from '../nominations/migrations/1765200000200-conference-nominations';
import { NOMINATION_OPTIONS, type NominationOptions } from '../nominations/nomination-options';
import { changedRows } from '../nominations/nomination.record';

/**
 * Drops from the identity projection the persons never nominated whose last incident is older
 * than the retention period: the projection exists for nominations, not as a second person index.
 * A merged person's row stays while its survivor (or it) has a nomination.
 */
@Injectable()
export class PersonRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = createLogger('person-retention');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(NOMINATION_OPTIONS) private readonly options: NominationOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.personRetentionIntervalMs <= 0 || this.options.personRetentionDays <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((err: Error) => this.logger.warn({ err: { name: err.name, message: err.message } }, 'sweep failed'))
        .finally(() => (this.running = undefined));
    }, this.options.personRetentionIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep across departments; returns how many persons left the projection. */
  async sweep(retentionDays = this.options.personRetentionDays, limit = 5000): Promise<number> {
    const deleted = await systemScopeTransaction(this.dataSource, PERSON_RETENTION_SCOPE, async (em) => {
      const rows = await changedRows(
        em,
        `DELETE FROM conference_person p
          WHERE (p.department_id, p.person_id) IN (
            SELECT c.department_id, c.person_id FROM conference_person c
             WHERE c.last_incident_at < now() - make_interval(days => $1)
               AND NOT EXISTS (
                 SELECT 1 FROM nomination n
                  WHERE n.department_id = c.department_id
                    AND n.person_id IN (c.person_id, c.merged_into))
             LIMIT $2)
          RETURNING p.person_id`,
        [retentionDays, limit],
      );
      return rows.length;
    });
    if (deleted > 0) this.logger.info({ deleted }, 'persons never nominated left the identity projection');
    return deleted;
  }
}
