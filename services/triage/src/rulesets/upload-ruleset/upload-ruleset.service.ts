import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { createLogger } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { validateRuleset } from '../domain/ruleset';

/** Stores an uploaded ruleset as the department's next version (not yet in force). */
@Injectable()
export class UploadRulesetService {
  private readonly logger = createLogger('rulesets');

  constructor(private readonly dataSource: DataSource) {}

  async upload(body: unknown, principal: Principal) {
    const checked = validateRuleset(body);
    if (!checked.ok)
      throw new RequestValidationError(checked.issues.map((i) => ({ field: i.path, detail: i.message })));
    const departmentId = principal.departmentId;
    const row = await tenantTransaction(this.dataSource, departmentId, async (em) => {
      // One upload at a time per department: versions are consecutive.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('triage.rulesets'), hashtext($1))`, [departmentId]);
      const [saved] = (await em.query(
        `INSERT INTO rulesets (department_id, version, name, document, uploaded_by)
         SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4 FROM rulesets WHERE department_id = $1
         RETURNING version, name, uploaded_by, uploaded_at`,
        [departmentId, checked.ruleset.name, JSON.stringify(checked.ruleset), principal.subject],
      )) as { version: number; name: string; uploaded_by: string; uploaded_at: Date }[];
      return saved;
    });
    this.logger.info({ departmentId, version: row.version }, 'ruleset uploaded');
    return {
      version: row.version,
      name: row.name,
      rules: checked.ruleset.rules.length,
      active: false,
      uploadedBy: row.uploaded_by,
      uploadedAt: row.uploaded_at.toISOString(),
    };
  }
}
