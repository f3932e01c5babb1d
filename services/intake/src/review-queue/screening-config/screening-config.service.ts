import { HttpStatus, Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { problemType } from '@cit/contracts';
import { createLogger } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { normalizeScreeningRules, type ScreeningRules } from '../screening';
import { encodeScreeningRules } from '../screening-config.codec';
import { ScreeningRulesStore, type DepartmentScreeningRules } from '../screening-rules.store';
import type { PutScreeningConfigRequest } from './screening-config.request';

/** Stable problem type of a configuration saved over someone else's newer edit. */
export const SCREENING_CONFIG_VERSION_PROBLEM = problemType('screening-config-version-conflict');

export interface ScreeningConfigView extends ScreeningRules {
  departmentId: string;
  version: number;
  isDefault: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

const view = (departmentId: string, d: DepartmentScreeningRules): ScreeningConfigView => ({
  departmentId,
  ...d.rules,
  version: d.version,
  isDefault: d.isDefault,
  updatedBy: d.updatedBy,
  updatedAt: d.updatedAt?.toISOString() ?? null,
});

/** Reads and replaces a department's screening rules. */
@Injectable()
export class ScreeningConfigService {
  private readonly logger = createLogger('review-queue');

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ScreeningRulesStore,
  ) {}

  async get(principal: Principal): Promise<ScreeningConfigView> {
    return view(
      principal.departmentId,
      await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
        this.store.load(em, principal.departmentId),
      ),
    );
  }

  async put(body: PutScreeningConfigRequest, principal: Principal): Promise<ScreeningConfigView> {
    const normalized = normalizeScreeningRules(body);
    if (!normalized.ok)
      throw new RequestValidationError(normalized.issues.map((i) => ({ field: i.path, detail: i.message })));
    const departmentId = principal.departmentId;
    const columns = encodeScreeningRules(normalized.rules);
    const saved = await tenantTransaction(this.dataSource, departmentId, async (em) => {
      const [current] = await em.query(`SELECT version FROM screening_config WHERE department_id = $1 FOR UPDATE`, [
        departmentId,
      ]);
      const currentVersion: number = current?.version ?? 0;
      if (body.expectedVersion !== undefined && body.expectedVersion !== currentVersion) {
        throw new ProblemException(
          SCREENING_CONFIG_VERSION_PROBLEM,
          HttpStatus.CONFLICT,
          'Screening configuration changed',
          `The configuration is at version ${currentVersion}, not ${body.expectedVersion}; reload and apply the change again.`,
        );
      }
      await em.query(
        `INSERT INTO screening_config (department_id, call_types, keywords, phrases, observations, version, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, now())
         ON CONFLICT (department_id) DO UPDATE SET
           call_types = EXCLUDED.call_types, keywords = EXCLUDED.keywords, phrases = EXCLUDED.phrases,
           observations = EXCLUDED.observations, version = screening_config.version + 1,
           updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
        [departmentId, columns.callTypes, columns.keywords, columns.phrases, columns.observations, principal.subject],
      );
      return this.store.load(em, departmentId);
    });
    // After commit: the next screening in this process uses the new rules.
    this.store.invalidate(departmentId);
    this.logger.info({ departmentId, version: saved.version }, 'screening configuration saved');
    return view(departmentId, saved);
  }
}
