import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DEFAULT_RULESET } from './domain/default-ruleset';
import type { Ruleset } from './domain/ruleset';

/** Version 0 is the product's default ruleset; departments' own versions start at 1. */
export const DEFAULT_RULESET_VERSION = 0;

export interface VersionedRuleset {
  version: number;
  ruleset: Ruleset;
}

/**
 * Reads rulesets inside the caller's transaction (tenant set). A stored version never
 * changes, so parsed documents are cached by department and version: the hot path costs one
 * indexed read of the version in force.
 */
@Injectable()
export class RulesetStore {
  private readonly cache = new Map<string, Ruleset>();

  async activeVersion(manager: EntityManager, departmentId: string): Promise<number> {
    const [row] = (await manager.query(`SELECT version FROM ruleset_active WHERE department_id = $1`, [
      departmentId,
    ])) as { version: number }[];
    return row?.version ?? DEFAULT_RULESET_VERSION;
  }

  async active(manager: EntityManager, departmentId: string): Promise<VersionedRuleset> {
    const version = await this.activeVersion(manager, departmentId);
    const ruleset = await this.find(manager, departmentId, version);
    if (!ruleset) throw new Error(`ruleset ${version} in force for the department is missing`);
    return { version, ruleset };
  }

  async find(manager: EntityManager, departmentId: string, version: number): Promise<Ruleset | null> {
    if (version === DEFAULT_RULESET_VERSION) return DEFAULT_RULESET;
    const key = `${departmentId}\u0000${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const [row] = (await manager.query(`SELECT document FROM rulesets WHERE department_id = $1 AND version = $2`, [
      departmentId,
      version,
    ])) as { document: Ruleset }[];
    if (!row) return null;
    this.cache.set(key, row.document);
    return row.document;
  }
}
