import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DEFAULT_PROGRAM_SETTINGS, programSettingsSchema, type ProgramSettings } from './program-settings';

/** A department's program settings as stored, or the defaults (version 0) until an admin saves its own. */
export interface DepartmentProgram {
  settings: ProgramSettings;
  version: number;
  isDefault: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

interface CachedProgram {
  version: number;
  program: DepartmentProgram;
}

/**
 * Reads program settings inside the caller's transaction (tenant already set). Exported for
 * the other triage areas (cases read cadence, diversion, business hours, time zone). The
 * parsed settings are cached per department and version: a read costs one indexed row.
 */
@Injectable()
export class ProgramSettingsService {
  private readonly cache = new Map<string, CachedProgram>();

  async get(manager: EntityManager, departmentId: string): Promise<DepartmentProgram> {
    const [row] = (await manager.query(
      `SELECT version, settings, updated_by, updated_at FROM program_settings WHERE department_id = $1`,
      [departmentId],
    )) as { version: number; settings: unknown; updated_by: string; updated_at: Date }[];
    if (!row)
      return { settings: DEFAULT_PROGRAM_SETTINGS, version: 0, isDefault: true, updatedBy: null, updatedAt: null };
    const cached = this.cache.get(departmentId);
    if (cached && cached.version === row.version) return cached.program;
    // Stored settings were validated on save; parsing again fills defaults of fields added since.
    const program: DepartmentProgram = {
      settings: programSettingsSchema.parse(row.settings),
      version: row.version,
      isDefault: false,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at,
    };
    this.cache.set(departmentId, { version: row.version, program });
    return program;
  }
}
