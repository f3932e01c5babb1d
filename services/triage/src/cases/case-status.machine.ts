import type { CaseStatus } from '@cit/contracts';

/**
 * The care-coordination case lifecycle (DESIGN: open → in-contact → stabilized |
 * connected-to-long-term-services | closed-no-contact | transferred). A case nobody reached
 * can still close without contact or be transferred; stabilized and connected need contact.
 * The four closing states are final: a repeat contact after closure opens a new case.
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  open: ['in-contact', 'closed-no-contact', 'transferred'],
  'in-contact': ['stabilized', 'connected-to-long-term-services', 'closed-no-contact', 'transferred'],
  stabilized: [],
  'connected-to-long-term-services': [],
  'closed-no-contact': [],
  transferred: [],
};

/** States a case is active in (it can be joined, contacts can be logged). */
export const ACTIVE_CASE_STATUSES: readonly CaseStatus[] = ['open', 'in-contact'];

export type TransitionDecision =
  | { ok: true; closes: boolean }
  | { ok: false; allowed: readonly CaseStatus[]; reason: 'same-status' | 'not-allowed' };

/** Whether a case may move from `from` to `to`; when not, the states it may move to. */
export function decideTransition(from: CaseStatus, to: CaseStatus): TransitionDecision {
  const allowed = CASE_TRANSITIONS[from];
  if (from === to) return { ok: false, allowed, reason: 'same-status' };
  if (!allowed.includes(to)) return { ok: false, allowed, reason: 'not-allowed' };
  return { ok: true, closes: isClosed(to) };
}

/** A closing state: reminders stop, nothing joins the case any more. */
export function isClosed(status: CaseStatus): boolean {
  return !ACTIVE_CASE_STATUSES.includes(status);
}

/** The status a case moves to when an outreach contact is logged: a contact that reached the person moves an open case in contact. */
export function statusAfterContact(status: CaseStatus, outcome: 'attempted' | 'made'): CaseStatus {
  return status === 'open' && outcome === 'made' ? 'in-contact' : status;
}
