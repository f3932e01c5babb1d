/** Lifecycle of a nomination (nomination.status). */
export type NominationStatus = 'pending-verification' | 'open' | 'closed' | 'rejected' | 'withdrawn';

/** What a caller may do to a nomination. */
export type NominationAction = 'verify' | 'reject' | 'withdraw' | 'update-presentation' | 'risk-decision';

const ALLOWED: Record<NominationStatus, readonly NominationAction[]> = {
  'pending-verification': ['verify', 'reject', 'withdraw', 'update-presentation'],
  open: ['withdraw', 'update-presentation', 'risk-decision'],
  closed: [],
  rejected: [],
  withdrawn: [],
};

/** The actions a nomination in this status (and privacy stage) allows, for 409 `allowed`. */
export function allowedActions(status: NominationStatus, privacyStage: string): NominationAction[] {
  // Once the table has decided (stage past de-identified) the presentation is history and the decision made.
  return ALLOWED[status].filter(
    (a) => privacyStage === 'de-identified' || (a !== 'update-presentation' && a !== 'risk-decision'),
  );
}

/** Whether the action is allowed now. */
export function isAllowed(action: NominationAction, status: NominationStatus, privacyStage: string): boolean {
  return allowedActions(status, privacyStage).includes(action);
}

/** Risk levels from lowest to highest (riskLevelSchema's order). */
export const RISK_ORDER = ['none', 'routine', 'urgent', 'imminent'] as const;

/** Which of two open nominations of one person stays open after a merge: higher risk, then the older. */
export function survivingNomination<T extends { id: string; riskLevel: string; createdAt: Date }>(a: T, b: T): T {
  const ra = RISK_ORDER.indexOf(a.riskLevel as (typeof RISK_ORDER)[number]);
  const rb = RISK_ORDER.indexOf(b.riskLevel as (typeof RISK_ORDER)[number]);
  if (ra !== rb) return ra > rb ? a : b;
  if (a.createdAt.getTime() !== b.createdAt.getTime()) return a.createdAt < b.createdAt ? a : b;
  return a.id < b.id ? a : b;
}
