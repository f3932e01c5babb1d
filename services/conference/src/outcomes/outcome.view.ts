import type { FieldCipher, PhiBinding } from '@cit/persistence';
import type { ActionItemKind, OutcomeStatus } from './record-outcome/record-outcome.request';

/** Where an action item's description is bound: its department and row (legacy v1 tokens: the row alone). */
export const actionItemAad = (departmentId: string, actionItemId: string): PhiBinding => ({
  departmentId,
  table: 'action_item',
  column: 'description_ciphertext',
  rowId: actionItemId,
  legacyAad: `action_item.description:${actionItemId}`,
});

export interface OutcomeRow {
  id: string;
  session_id: string;
  nomination_id: string;
  case_id: string;
  status: OutcomeStatus;
  lead_agency_id: string;
  assisting_agency_ids: string[];
  recorded_at: Date;
  recorded_by: string;
}

/** Open until done (completed) or until its nomination is withdrawn (cancelled). */
export type ActionItemStatus = 'open' | 'completed' | 'cancelled';

export interface ActionItemRow {
  id: string;
  outcome_id: string;
  owner_agency_id: string;
  kind: ActionItemKind;
  description_ciphertext: string;
  due_at: Date;
  status: ActionItemStatus;
  completed_at: Date | null;
  completed_by: string | null;
  cancelled_at: Date | null;
}

export const OUTCOME_COLUMNS =
  'id, session_id, nomination_id, case_id, status, lead_agency_id, assisting_agency_ids, recorded_at, recorded_by';
export const ACTION_ITEM_COLUMNS =
  'id, outcome_id, owner_agency_id, kind, description_ciphertext, due_at, status, completed_at, completed_by, cancelled_at';

export interface ActionItemView {
  id: string;
  ownerAgencyId: string;
  kind: ActionItemKind;
  description: string;
  dueAt: string;
  status: ActionItemStatus;
  completedAt: string | null;
  completedBy: string | null;
  /** Set when the item was cancelled because its nomination was withdrawn. */
  cancelledAt: string | null;
}

export interface OutcomeView {
  id: string;
  sessionId: string;
  nominationId: string;
  caseId: string;
  decision: 'acutely-elevated-risk';
  status: OutcomeStatus;
  leadAgencyId: string;
  assistingAgencyIds: string[];
  recordedAt: string;
  recordedBy: string;
  actionItems: ActionItemView[];
}

/** An action item as shown (decrypting its description: the caller audits the read). */
export function actionItemView(departmentId: string, row: ActionItemRow, cipher: FieldCipher): ActionItemView {
  return {
    id: row.id,
    ownerAgencyId: row.owner_agency_id,
    kind: row.kind,
    description: cipher.decrypt(row.description_ciphertext, actionItemAad(departmentId, row.id)),
    dueAt: row.due_at.toISOString(),
    status: row.status,
    completedAt: row.completed_at?.toISOString() ?? null,
    completedBy: row.completed_by,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
  };
}

/** An outcome with its action items. */
export function outcomeView(
  departmentId: string,
  row: OutcomeRow,
  items: readonly ActionItemRow[],
  cipher: FieldCipher,
): OutcomeView {
  return {
    id: row.id,
    sessionId: row.session_id,
    nominationId: row.nomination_id,
    caseId: row.case_id,
    decision: 'acutely-elevated-risk',
    status: row.status,
    leadAgencyId: row.lead_agency_id,
    assistingAgencyIds: row.assisting_agency_ids,
    recordedAt: row.recorded_at.toISOString(),
    recordedBy: row.recorded_by,
    actionItems: items.filter((i) => i.outcome_id === row.id).map((i) => actionItemView(departmentId, i, cipher)),
  };
}
