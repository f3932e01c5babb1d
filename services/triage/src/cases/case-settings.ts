import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What cases take from the department's program settings. */
export interface CaseSettings {
  /** Follow-up offsets from case opening (ISO 8601 durations); the last repeats until the case closes. */
  cadence: string[];
  /** IANA time zone the department's reminders are counted in. */
  timeZone?: string;
  /** Whether the department runs a jail-diversion program (cases then hold diversion plans). */
  diversionProgram: boolean;
}

/** The platform default (DESIGN: 24 h, 72 h, 7 days, then weekly) for a department that set nothing. */
export const DEFAULT_CASE_SETTINGS: CaseSettings = {
  cadence: ['PT24H', 'PT72H', 'P7D'],
  diversionProgram: false,
};

/**
 * Reads the case-relevant program settings inside the caller's transaction. Program settings
 * are triage's program area; until a department stored them, the defaults apply.
 */
@Injectable()
export class CaseSettingsReader {
  async get(_manager: EntityManager, _departmentId: string): Promise<CaseSettings> {
    return DEFAULT_CASE_SETTINGS;
  }
}
