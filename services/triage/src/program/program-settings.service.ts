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

interface ProgramRow {
  version: number | null;
  settings: unknown;
  updated_by: string | null;
  updated_at: Date | null;
}

/**
 * Reads program settings inside the caller's transaction (tenant already set). Exported for
 * the other triage areas (cases read cadence, diversion, business hours, time zone). The
 * parsed settings are cached per department and version, and a transaction reads the row at
 * most once (every area of a decision asks for it): a read costs one indexed row, or nothing.
 */
@Injectable()
export class ProgramSettingsService {
  private readonly cache = new Map<string, CachedProgram>();
  private readonly perTransaction = new WeakMap<EntityManager, Map<string, DepartmentProgram>>();

  async get(manager: EntityManager, departmentId: string): Promise<DepartmentProgram> {
    const known = this.perTransaction.get(manager)?.get(departmentId);
    if (known) return known;
    const [row] = (await manager.query(
      `SELECT version, settings, updated_by, updated_at FROM program_settings WHERE department_id = $1`,
      [departmentId],
    )) as ProgramRow[];
    return this.remember(manager, departmentId, row);
  }

  /**
   * Records a row read by the caller's own statement (the decider reads settings and the
   * ruleset in force in one round trip) as this transaction's settings.
   */
  remember(manager: EntityManager, departmentId: string, row: ProgramRow | undefined): DepartmentProgram {
    const program = this.parse(departmentId, row);
    let forTx = this.perTransaction.get(manager);
    if (!forTx) this.perTransaction.set(manager, (forTx = new Map()));
    forTx.set(departmentId, program);
    return program;
  }

  private parse(departmentId: string, row: ProgramRow | undefined): DepartmentProgram {
    if (!row || row.version === null)
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
