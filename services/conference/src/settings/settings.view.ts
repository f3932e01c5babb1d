import type { StoredConferenceSettings } from './conference-settings';

/** GET/PUT /v1/settings answer. */
export function settingsView(departmentId: string, s: StoredConferenceSettings) {
  return {
    departmentId,
    timeZone: s.timeZone,
    horizonWeeks: s.horizonWeeks,
    familyFormEnabled: s.familyFormEnabled,
    version: s.version,
    updatedAt: s.updatedAt.toISOString(),
    updatedBy: s.updatedBy,
  };
}
