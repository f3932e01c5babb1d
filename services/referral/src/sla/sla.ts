// SLA deadlines per urgency, from the department's setting. Plain TypeScript.
import { DateTime } from 'luxon';

export type Urgency = 'routine' | 'urgent' | 'emergent';

/** One urgency's deadlines: minutes of wall time, or business days (Mon-Fri) for routine work. */
export interface SlaRule {
  receiveWithinMinutes?: number;
  acceptWithinMinutes?: number;
  acceptWithinBusinessDays?: number;
}

export type SlaPolicy = Record<Urgency, SlaRule>;

export const DEFAULT_SLA: SlaPolicy = {
  emergent: { receiveWithinMinutes: 5, acceptWithinMinutes: 15 },
  urgent: { receiveWithinMinutes: 15, acceptWithinMinutes: 60 },
  routine: { acceptWithinBusinessDays: 2 },
};

/** Adds business days (Monday to Friday) in the department's zone, keeping the time of day. */
export function addBusinessDays(from: Date, days: number, zone: string): Date {
  let t = DateTime.fromJSDate(from, { zone });
  let left = days;
  while (left > 0) {
    t = t.plus({ days: 1 });
    if (t.weekday <= 5) left--;
  }
  return t.toJSDate();
}

export interface SlaDeadlines {
  receiveBy: Date | null;
  acceptBy: Date;
}

export function slaDeadlines(policy: SlaPolicy, urgency: Urgency, requestedAt: Date, zone: string): SlaDeadlines {
  const rule = policy[urgency];
  const receiveBy =
    rule.receiveWithinMinutes !== undefined
      ? new Date(requestedAt.getTime() + rule.receiveWithinMinutes * 60_000)
      : null;
  const acceptBy =
    rule.acceptWithinMinutes !== undefined
      ? new Date(requestedAt.getTime() + rule.acceptWithinMinutes * 60_000)
      : addBusinessDays(requestedAt, rule.acceptWithinBusinessDays ?? 2, zone);
  return { receiveBy, acceptBy };
}

export type SlaBreach = 'sla-not-received' | 'sla-not-accepted';

/** The breach a referral is in at `now`, if any: only requested or received referrals can breach. */
export function slaBreach(
  status: string,
  deadlines: { receiveBy: Date | null; acceptBy: Date },
  now: Date,
): SlaBreach | null {
  if (status === 'requested' && deadlines.receiveBy && now >= deadlines.receiveBy) return 'sla-not-received';
  if ((status === 'requested' || status === 'received') && now >= deadlines.acceptBy) return 'sla-not-accepted';
  return null;
}
