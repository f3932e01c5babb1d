import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProgramSettingsService } from '../program/program-settings.service';

/** What cases take from the department's program settings. */
export interface CaseSettings {
  /** Follow-up offsets from case opening (ISO 8601 durations); the last repeats until the case closes. */
  cadence: string[];
  /** IANA time zone the department's reminders are counted in. */
  timeZone: string;
  /** Whether the department runs a jail-diversion program (cases then hold diversion plans). */
  diversionProgram: boolean;
}

/** Reads the case-relevant program settings (defaults until an admin saves them) inside the caller's transaction. */
@Injectable()
export class CaseSettingsReader {
  constructor(private readonly program: ProgramSettingsService) {}

  async get(manager: EntityManager, departmentId: string): Promise<CaseSettings> {
    const { settings } = await this.program.get(manager, departmentId);
    return {
      cadence: settings.contactCadence,
      timeZone: settings.timeZone,
      diversionProgram: settings.diversionProgram,
    };
  }
}
