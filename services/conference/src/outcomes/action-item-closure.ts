import { buildEvent, newId, type CloudEvent, type ConferenceActionItemClosed, type EventContext } from '@cit/contracts';
import type { OutboxWriter } from '@cit/messaging';
import { currentContext } from '@cit/observability';
import type { EntityManager } from 'typeorm';
import { updateReturning } from '../agenda/session-access';

/** What cit.conference.action-item-closed.v1 says of an item, as an UPDATE … RETURNING gives it back. */
export interface ClosedActionItemRow {
  id: string;
  outcome_id: string;
  session_id: string;
  nomination_id: string;
  case_id: string;
  owner_agency_id: string;
  closed_at: Date;
}

// Aliases: action_item a, conference_outcome o (the case id lives on the outcome).
const CLOSED_RETURNING = `a.id, a.outcome_id, a.session_id, a.nomination_id, o.case_id, a.owner_agency_id`;

/** The event context of the current request (correlation and causation from its context). */
export function requestEventContext(departmentId: string): EventContext {
  return {
    departmentId,
    correlationId: currentContext()?.correlationId ?? newId('cor'),
    causationId: currentContext()?.requestId,
  };
}

/**
 * The closed event of an item. Keyed by the item's session, as the outcome-recorded event that
 * created it was: one partition, so followup never sees the close before the reminder it stops.
 */
export function actionItemClosedEvent(
  row: ClosedActionItemRow,
  resolution: ConferenceActionItemClosed['resolution'],
  ctx: EventContext,
): CloudEvent<ConferenceActionItemClosed> {
  return buildEvent(
    'cit.conference.action-item-closed.v1',
    row.session_id,
    {
      sessionId: row.session_id,
      actionItemId: row.id,
      outcomeId: row.outcome_id,
      nominationId: row.nomination_id,
      caseId: row.case_id,
      ownerAgencyId: row.owner_agency_id,
      resolution,
      closedAt: row.closed_at.toISOString(),
    },
    ctx,
  );
}

/** Marks one open action item completed; returns it, or undefined when it was not open. */
export async function completeOpenActionItem(
  em: EntityManager,
  departmentId: string,
  actionItemId: string,
  completedBy: string,
): Promise<ClosedActionItemRow | undefined> {
  const [row] = await updateReturning<ClosedActionItemRow>(
    em,
    `UPDATE action_item a SET status = 'completed', completed_at = now(), completed_by = $3
       FROM conference_outcome o
      WHERE a.department_id = $1 AND a.id = $2 AND a.status = 'open'
        AND o.department_id = a.department_id AND o.id = a.outcome_id
     RETURNING ${CLOSED_RETURNING}, a.completed_at AS closed_at`,
    [departmentId, actionItemId, completedBy],
  );
  return row;
}

/**
 * Cancels the open action items of a nomination that is withdrawn and writes one closed event
 * per item to the outbox, in the caller's transaction (the nomination's state change). Returns
 * how many it cancelled: none when the nomination never had an outcome.
 */
export async function cancelOpenActionItems(
  em: EntityManager,
  outbox: OutboxWriter,
  departmentId: string,
  nominationId: string,
  ctx: EventContext,
): Promise<number> {
  const rows = await updateReturning<ClosedActionItemRow>(
    em,
    `UPDATE action_item a SET status = 'cancelled', cancelled_at = now()
       FROM conference_outcome o
      WHERE a.department_id = $1 AND a.nomination_id = $2 AND a.status = 'open'
        AND o.department_id = a.department_id AND o.id = a.outcome_id
     RETURNING ${CLOSED_RETURNING}, a.cancelled_at AS closed_at`,
    [departmentId, nominationId],
  );
  rows.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  await outbox.appendMany(
    em,
    rows.map((r) => actionItemClosedEvent(r, 'cancelled', ctx)),
  );
  return rows.length;
}
