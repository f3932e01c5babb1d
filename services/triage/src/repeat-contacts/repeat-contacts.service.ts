import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { recordIncident, type RepeatContactRule, type WindowResult } from './repeat-contact-window';

/**
 * Keeps each person's repeat-contact window (one row per person, at most N incident times) in
 * the caller's transaction. Two indexed statements at most, whatever the person's history.
 */
@Injectable()
export class RepeatContactsService {
  async record(
    manager: EntityManager,
    departmentId: string,
    personId: string,
    incident: { incidentId: string; at: Date },
    rule: RepeatContactRule,
  ): Promise<WindowResult> {
    // One statement creates the row or locks the existing one (a no-op update) and answers its state,
    // so concurrent incidents of one person serialize on it.
    const [row] = (await manager.query(
      `INSERT INTO repeat_contact_window (department_id, person_id, recent_at, recent_incident_ids)
       VALUES ($1, $2, '{}', '{}')
       ON CONFLICT (department_id, person_id) DO UPDATE SET updated_at = repeat_contact_window.updated_at
       RETURNING recent_at, recent_incident_ids, nominated_until`,
      [departmentId, personId],
    )) as { recent_at: Date[]; recent_incident_ids: string[]; nominated_until: Date | null }[];
    const result = recordIncident(
      {
        recent: row.recent_incident_ids.map((incidentId, i) => ({ incidentId, at: new Date(row.recent_at[i]) })),
        nominatedThrough: row.nominated_until,
      },
      incident,
      rule,
    );
    const ids = result.state.recent.map((r) => r.incidentId);
    const changed =
      ids.length !== row.recent_incident_ids.length || ids.some((id, i) => id !== row.recent_incident_ids[i]);
    if (changed || result.nomination) {
      await manager.query(
        `UPDATE repeat_contact_window SET recent_at = $3, recent_incident_ids = $4, nominated_until = $5,
           nominations = nominations + $6, updated_at = now()
         WHERE department_id = $1 AND person_id = $2`,
        [
          departmentId,
          personId,
          result.state.recent.map((r) => r.at.toISOString()),
          ids,
          result.state.nominatedThrough?.toISOString() ?? null,
          result.nomination ? 1 : 0,
        ],
      );
    }
    return result;
  }
}
