import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { DEFAULT_RULESET } from '../domain/default-ruleset';
import { DEFAULT_RULESET_VERSION, RulesetStore } from '../ruleset-store.service';
import { rulesetNotFound } from '../ruleset-version.param';

@Injectable()
export class ListRulesetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: RulesetStore,
  ) {}

  /** Every version of the department (newest first) and the default (0), with the one in force marked. */
  async list(principal: Principal) {
    const departmentId = principal.departmentId;
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const active = await this.store.activeVersion(em, departmentId);
      const rows = (await em.query(
        `SELECT version, name, jsonb_array_length(document->'rules') AS rules, uploaded_by, uploaded_at
           FROM rulesets WHERE department_id = $1 ORDER BY version DESC LIMIT 500`,
        [departmentId],
      )) as { version: number; name: string; rules: number; uploaded_by: string; uploaded_at: Date }[];
      return {
        activeVersion: active,
        items: [
          ...rows.map((r) => ({
            version: r.version,
            name: r.name,
            rules: r.rules,
            active: r.version === active,
            uploadedBy: r.uploaded_by,
            uploadedAt: r.uploaded_at.toISOString(),
          })),
          {
            version: DEFAULT_RULESET_VERSION,
            name: DEFAULT_RULESET.name,
            rules: DEFAULT_RULESET.rules.length,
            active: active === DEFAULT_RULESET_VERSION,
            uploadedBy: null,
            uploadedAt: null,
          },
        ],
      };
    });
  }

  async get(principal: Principal, version: number) {
    const departmentId = principal.departmentId;
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const ruleset = await this.store.find(em, departmentId, version);
      if (!ruleset) throw rulesetNotFound();
      const active = await this.store.activeVersion(em, departmentId);
      return { version, active: version === active, ruleset };
    });
  }
}
