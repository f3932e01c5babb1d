import { Injectable } from '@nestjs/common';
import { newId, type BhCoding, type ReviewItemStatus } from '@cit/contracts';
import { createLogger } from '@cit/observability';
import type { EntityManager } from 'typeorm';
import { ReviewItemEntity } from './review-item.entity';
import { coveredCategories, screenIncident, uncoveredReasons, type ScreeningReason } from './screening';
import { ScreeningRulesStore, type DepartmentScreeningRules } from './screening-rules.store';

/** What screening needs of an incident. The narrative is plaintext in memory only: never stored or logged here. */
export interface IncidentToScreen {
  incidentId: string;
  departmentId: string;
  callType: string;
  narrative?: string;
  observations: string[];
  coding: BhCoding;
}

/** What became of a pending review item when the incident was re-flagged. */
export interface ReclassifyResolution {
  itemId: string;
  /** superseded: the new coding answers every reason; pending: some reasons are still open (the answered ones were removed). */
  status: Extract<ReviewItemStatus, 'pending' | 'superseded'>;
}

/** Decision reason recorded when re-flagging by other means answered an item. */
export const SUPERSEDED_REASON = 'reclassified';

/**
 * Puts calls for service with behavioral-health indicators the officer did not flag into
 * the department's review queue, in the caller's transaction (the incident and its queue
 * item commit together).
 */
@Injectable()
export class ReviewScreener {
  private readonly logger = createLogger('review-screener');

  constructor(private readonly rules: ScreeningRulesStore) {}

  /**
   * Screens an incident and, if anything is suggested, upserts its one pending review item.
   * A second screening (a supplement, a correction) adds its reasons to the pending item
   * rather than replacing them, and drops reasons the current coding now covers.
   */
  async screenIncident(manager: EntityManager, incident: IncidentToScreen): Promise<ScreeningReason[]> {
    const { rules } = await this.rules.rulesFor(manager, incident.departmentId);
    const reasons = screenIncident(
      {
        callType: incident.callType,
        narrative: incident.narrative,
        observations: incident.observations,
        coding: incident.coding,
      },
      rules,
    );
    if (reasons.length === 0) return reasons;

    const covered = [...coveredCategories(incident.coding.relatedTo)];
    const rows: Array<{ id: string; inserted: boolean }> = await manager.query(
      `INSERT INTO review_item (id, incident_id, department_id, reasons, status)
       VALUES ($1, $2, $3, $4::jsonb, 'pending')
       ON CONFLICT (incident_id) WHERE status = 'pending'
       DO UPDATE SET reasons = (
         SELECT coalesce(jsonb_agg(m.r ORDER BY m.first), '[]'::jsonb)
           FROM (SELECT e.r, min(e.ord) AS first
                   FROM jsonb_array_elements(review_item.reasons || EXCLUDED.reasons) WITH ORDINALITY AS e(r, ord)
                  WHERE NOT (e.r->>'suggests' = ANY($5::text[]))
                  GROUP BY e.r) m)
       WHERE review_item.department_id = EXCLUDED.department_id
       RETURNING id, (xmax = 0) AS inserted`,
      [newId('rvw'), incident.incidentId, incident.departmentId, JSON.stringify(reasons), covered],
    );
    const row = rows[0];
    this.logger.debug(
      {
        departmentId: incident.departmentId,
        incidentId: incident.incidentId,
        reviewItemId: row?.id,
        inserted: row?.inserted,
        reasons: reasons.map((r) => `${r.kind}:${r.suggests}`),
      },
      'incident queued for behavioral-health review',
    );
    return reasons;
  }

  /**
   * Screens new incidents (no review item can exist for them yet) and returns the one INSERT
   * of their review items for the caller to run in the incidents' transaction (the create
   * path folds it into its own statement), or null when nothing is suggested. Rules are read
   * once per department of the batch.
   */
  async prepareNewIncidents(
    manager: EntityManager,
    incidents: readonly IncidentToScreen[],
  ): Promise<{ sql: string; params: unknown[] } | null> {
    const rulesByDepartment = new Map<string, DepartmentScreeningRules['rules']>();
    const ids: string[] = [];
    const incidentIds: string[] = [];
    const departments: string[] = [];
    const reasonLists: string[] = [];
    for (const incident of incidents) {
      let rules = rulesByDepartment.get(incident.departmentId);
      if (!rules) {
        rules = (await this.rules.rulesFor(manager, incident.departmentId)).rules;
        rulesByDepartment.set(incident.departmentId, rules);
      }
      const reasons = screenIncident(
        {
          callType: incident.callType,
          narrative: incident.narrative,
          observations: incident.observations,
          coding: incident.coding,
        },
        rules,
      );
      if (reasons.length === 0) continue;
      ids.push(newId('rvw'));
      incidentIds.push(incident.incidentId);
      departments.push(incident.departmentId);
      reasonLists.push(JSON.stringify(reasons));
    }
    if (ids.length === 0) return null;
    if (this.logger.isLevelEnabled('debug'))
      this.logger.debug({ incidentIds, reviewItemIds: ids }, 'incidents queued for behavioral-health review');
    return {
      sql: `INSERT INTO review_item (id, incident_id, department_id, reasons, status)
            SELECT id, inc, dept, reasons::jsonb, 'pending'
              FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(id, inc, dept, reasons)`,
      params: [ids, incidentIds, departments, reasonLists],
    };
  }

  /**
   * The incident was re-flagged by other means (PUT indicators): a pending item whose
   * suggested categories the new coding covers is superseded; if only some are covered,
   * it stays pending with the open reasons. Returns null when no item was pending.
   */
  async resolveOnReclassify(
    manager: EntityManager,
    departmentId: string,
    incidentId: string,
    newCoding: Pick<BhCoding, 'relatedTo'>,
    actor: string,
  ): Promise<ReclassifyResolution | null> {
    const item = await manager.findOne(ReviewItemEntity, {
      where: { departmentId, incidentId, status: 'pending' },
      lock: { mode: 'pessimistic_write' },
    });
    if (!item) return null;
    const open = uncoveredReasons(item.reasons, newCoding.relatedTo);
    if (open.length === item.reasons.length) return { itemId: item.id, status: 'pending' };
    if (open.length > 0) {
      await manager.update(ReviewItemEntity, { id: item.id, departmentId }, { reasons: open });
      return { itemId: item.id, status: 'pending' };
    }
    await manager.update(
      ReviewItemEntity,
      { id: item.id, departmentId, status: 'pending' },
      { status: 'superseded', decidedBy: actor, decidedAt: new Date(), decisionReason: SUPERSEDED_REASON },
    );
    this.logger.info({ departmentId, incidentId, reviewItemId: item.id }, 'review item superseded by reclassification');
    return { itemId: item.id, status: 'superseded' };
  }
}
