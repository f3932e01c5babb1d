// The referral lifecycle on FHIR R4 Task.status, and who may set what. Plain TypeScript.
import type { ReferralOutcome, ReferralStatus } from '@cit/contracts';

export type Party = 'department' | 'partner' | 'system';

/** Transitions allowed from each status; the department sets requested and cancelled, partners the rest. */
const TRANSITIONS: Record<ReferralStatus, readonly ReferralStatus[]> = {
  requested: ['received', 'accepted', 'rejected', 'cancelled', 'failed'],
  received: ['accepted', 'rejected', 'cancelled', 'failed'],
  accepted: ['in-progress', 'on-hold', 'completed', 'failed', 'cancelled'],
  'in-progress': ['on-hold', 'completed', 'failed', 'cancelled'],
  'on-hold': ['in-progress', 'completed', 'failed', 'cancelled'],
  rejected: [],
  completed: [],
  failed: [],
  cancelled: [],
};

const DEPARTMENT_SETS: readonly ReferralStatus[] = ['requested', 'cancelled'];

/** Statuses a party may set at all. */
export function settableBy(party: Party): readonly ReferralStatus[] {
  if (party === 'system') return Object.keys(TRANSITIONS) as ReferralStatus[];
  if (party === 'department') return DEPARTMENT_SETS;
  return (Object.keys(TRANSITIONS) as ReferralStatus[]).filter((s) => !DEPARTMENT_SETS.includes(s));
}

/** The statuses this party may move the referral to from `from`. */
export function allowedTransitions(from: ReferralStatus, party: Party): ReferralStatus[] {
  const mine = settableBy(party);
  return TRANSITIONS[from].filter((to) => mine.includes(to));
}

export const FINAL_STATUSES: readonly ReferralStatus[] = ['rejected', 'completed', 'failed', 'cancelled'];
export const OPEN_STATUSES: readonly ReferralStatus[] = ['requested', 'received', 'accepted', 'in-progress', 'on-hold'];

export type TransitionCheck =
  | { ok: true }
  | { ok: false; problem: 'wrong-party' | 'not-allowed'; allowed: ReferralStatus[] }
  | { ok: false; problem: 'outcome-required' | 'outcome-not-allowed' | 'reason-required'; allowed: ReferralStatus[] };

/** Whether `party` may move a referral from `from` to `to`, and whether the change carries what it must. */
export function checkTransition(
  from: ReferralStatus,
  to: ReferralStatus,
  party: Party,
  detail: { outcome?: ReferralOutcome; reasonCode?: string } = {},
): TransitionCheck {
  const allowed = allowedTransitions(from, party);
  if (!settableBy(party).includes(to)) return { ok: false, problem: 'wrong-party', allowed };
  if (!allowed.includes(to)) return { ok: false, problem: 'not-allowed', allowed };
  if ((to === 'completed' || to === 'failed') && !detail.outcome)
    return { ok: false, problem: 'outcome-required', allowed };
  if (to !== 'completed' && to !== 'failed' && detail.outcome)
    return { ok: false, problem: 'outcome-not-allowed', allowed };
  if ((to === 'rejected' || to === 'on-hold' || to === 'cancelled') && !detail.reasonCode)
    return { ok: false, problem: 'reason-required', allowed };
  return { ok: true };
}

/** FHIR Task.businessStatus text for a status (and outcome), shaped like the SDOH Clinical Care IG. */
export function businessStatus(status: ReferralStatus, outcome?: ReferralOutcome | null): string {
  if (outcome) return outcome.replace(/-/g, ' ');
  const words: Record<ReferralStatus, string> = {
    requested: 'awaiting receipt',
    received: 'awaiting acceptance',
    accepted: 'accepted, not yet started',
    'in-progress': 'service in progress',
    'on-hold': 'on hold',
    rejected: 'declined by the agency',
    completed: 'service completed',
    failed: 'service failed',
    cancelled: 'cancelled by the department',
  };
  return words[status];
}
