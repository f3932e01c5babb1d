import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DEFAULT_SCREENING_RULES, type ScreeningRules } from './screening';
import { decodeScreeningRules } from './screening-config.codec';
import { ScreeningConfigEntity } from './screening-config.entity';

/** A department's rules as stored, or the defaults when it saved none. */
export interface DepartmentScreeningRules {
  rules: ScreeningRules;
  /** 0 while the defaults apply. */
  version: number;
  isDefault: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** How long a replica may screen with rules another replica has since replaced. */
export const SCREENING_RULES_CACHE_TTL_MS = 5_000;

/**
 * Every reported call for service is screened (single reports, supplements and corrections;
 * imported ones when the import asks for it with screen=true), so rules are cached per
 * department for a few seconds; a saved configuration invalidates its department in this process at once, and
 * other replicas pick it up within SCREENING_RULES_CACHE_TTL_MS.
 */
@Injectable()
export class ScreeningRulesStore {
  private readonly cache = new Map<string, { expiresAt: number; value: DepartmentScreeningRules }>();

  /** Reads the department's rules from the database (no cache). */
  async load(manager: EntityManager, departmentId: string): Promise<DepartmentScreeningRules> {
    const row = await manager.findOne(ScreeningConfigEntity, { where: { departmentId } });
    if (!row) return { rules: DEFAULT_SCREENING_RULES, version: 0, isDefault: true, updatedBy: null, updatedAt: null };
    return {
      rules: decodeScreeningRules(row),
      version: row.version,
      isDefault: false,
      updatedBy: row.updatedBy,
      updatedAt: row.updatedAt,
    };
  }

  /** The department's rules, from the cache when fresh. */
  async rulesFor(manager: EntityManager, departmentId: string, now = Date.now()): Promise<DepartmentScreeningRules> {
    const hit = this.cache.get(departmentId);
    if (hit && hit.expiresAt > now) return hit.value;
    const value = await this.load(manager, departmentId);
    this.cache.set(departmentId, { expiresAt: now + SCREENING_RULES_CACHE_TTL_MS, value });
    return value;
  }

  /** Forgets a department's cached rules (after its configuration changed). */
  invalidate(departmentId: string): void {
    this.cache.delete(departmentId);
  }
}
