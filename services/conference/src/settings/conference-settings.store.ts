import type { EntityManager } from 'typeorm';
import type { ConferenceSettings, StoredConferenceSettings } from './conference-settings';

interface SettingsRow {
  time_zone: string;
  horizon_weeks: number;
  family_form_enabled: boolean;
  version: number;
  updated_at: Date;
  updated_by: string;
}

/** conference_settings, read and written in the caller's transaction (tenant set). */
export const ConferenceSettingsStore = {
  /** The department's settings, undefined until an admin saved them. */
  async load(
    em: EntityManager,
    departmentId: string,
    forUpdate = false,
  ): Promise<StoredConferenceSettings | undefined> {
    const [row] = (await em.query(
      `SELECT time_zone, horizon_weeks, family_form_enabled, version, updated_at, updated_by
         FROM conference_settings WHERE department_id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [departmentId],
    )) as SettingsRow[];
    return row
      ? {
          timeZone: row.time_zone,
          horizonWeeks: row.horizon_weeks,
          familyFormEnabled: row.family_form_enabled,
          version: row.version,
          updatedAt: row.updated_at,
          updatedBy: row.updated_by,
        }
      : undefined;
  },

  /** Inserts version 1 or replaces the settings and raises the version. */
  async save(em: EntityManager, departmentId: string, s: ConferenceSettings, by: string): Promise<void> {
    await em.query(
      `INSERT INTO conference_settings (department_id, time_zone, horizon_weeks, family_form_enabled, version, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, 1, now(), $5)
       ON CONFLICT (department_id) DO UPDATE SET time_zone = EXCLUDED.time_zone,
         horizon_weeks = EXCLUDED.horizon_weeks, family_form_enabled = EXCLUDED.family_form_enabled,
         version = conference_settings.version + 1, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [departmentId, s.timeZone, s.horizonWeeks, s.familyFormEnabled, by],
    );
  },
};
