import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { createLogger } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { RulesetStore } from '../ruleset-store.service';
import { rulesetNotFound } from '../ruleset-version.param';

/** Puts a version in force: decisions made from now on use it (0 returns to the default). */
@Injectable()
export class ActivateRulesetService {
  private readonly logger = createLogger('rulesets');

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: RulesetStore,
  ) {}

  async activate(principal: Principal, version: number) {
    const departmentId = principal.departmentId;
    const previous = await tenantTransaction(this.dataSource, departmentId, async (em) => {
      if (!(await this.store.find(em, departmentId, version))) throw rulesetNotFound();
      const before = await this.store.activeVersion(em, departmentId);
      await em.query(
        `INSERT INTO ruleset_active (department_id, version, activated_by) VALUES ($1, $2, $3)
         ON CONFLICT (department_id) DO UPDATE SET version = EXCLUDED.version,
           activated_by = EXCLUDED.activated_by, activated_at = now()`,
        [departmentId, version, principal.subject],
      );
      return before;
    });
    this.logger.info({ departmentId, version, previous }, 'ruleset activated');
    return { activeVersion: version, previousVersion: previous };
  }
}
