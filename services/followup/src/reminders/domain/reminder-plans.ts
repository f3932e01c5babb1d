import { createHash } from 'node:crypto';
import { DateTime, Duration } from 'luxon';
import type { ReferralStatus, ReminderKind } from '@cit/contracts';

/**
 * The id of a reminder occurrence, derived from its department and idempotency key: the
 * BullMQ job id is this id, so a redelivered event or a retried transaction re-creates the
 * same job (BullMQ ignores the second add) and a later occurrence, whose key differs, can
 * never be swallowed by a retained job of an earlier one.
 */
export function reminderId(departmentId: string, idempotencyKey: string): string {
  return `rem_${createHash('sha256').update(`${departmentId}\u0000${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

/** The idempotency key of one occurrence: kind, subject, what distinguishes it, occurrence number. */
export function idempotencyKey(kind: ReminderKind, subjectId: string, occurrence: number, detail = ''): string {
  return [kind, subjectId, detail, String(occurrence)].join('|');
}

/** Referral SLA checks: the status a referral must have left by the deadline. */
export type AwaitedStatus = 'received' | 'accepted';

const NOT_YET_RECEIVED: ReadonlySet<ReferralStatus> = new Set(['requested']);
const NOT_YET_ACCEPTED: ReadonlySet<ReferralStatus> = new Set(['requested', 'received']);

/**
 * Whether a referral in `status` has met an SLA check: "received" is met once the partner
 * acknowledged it in any way (received, accepted, rejected, …) or the department cancelled;
 * "accepted" once it left requested/received (accepted, or answered with a rejection, which
 * re-routes through its own event).
 */
export function slaSatisfied(awaited: AwaitedStatus, status: ReferralStatus): boolean {
  return awaited === 'received' ? !NOT_YET_RECEIVED.has(status) : !NOT_YET_ACCEPTED.has(status);
}

/** Referral statuses after which no SLA check is pending. */
export function referralSettled(status: ReferralStatus): boolean {
  return !NOT_YET_ACCEPTED.has(status);
}

/** Offsets of conference reminders before the session starts. */
export const CONFERENCE_REMINDER_OFFSETS = ['PT48H', 'PT2H'] as const;

/**
 * Conference reminders for a session starting at `startsAt`, 48 h and 2 h before. Offsets whose
 * time has passed when the session is scheduled are dropped, except the latest of them while
 * the session has not started (it fires at once, marked late); none once the session started.
 */
export function conferenceReminderTimes(startsAt: Date, now: Date): Array<{ offset: string; dueAt: Date }> {
  if (startsAt.getTime() <= now.getTime()) return [];
  const all = CONFERENCE_REMINDER_OFFSETS.map((offset) => ({
    offset,
    dueAt: new Date(startsAt.getTime() - Duration.fromISO(offset).toMillis()),
  }));
  const future = all.filter((r) => r.dueAt.getTime() > now.getTime());
  const past = all.filter((r) => r.dueAt.getTime() <= now.getTime());
  return past.length > 0 ? [past[past.length - 1]!, ...future] : future;
}

/** MOUs expiring within this many days get a reminder to the department's admin. */
export const MOU_NOTICE_DAYS = 60;

/**
 * When the MOU expiry reminder is due: 09:00 local, 60 days before the last day in force
 * (at once when that is already past); undefined once the MOU has expired.
 */
export function mouReminderDueAt(expiresOn: string, timeZone: string, now: Date): Date | undefined {
  const lastDay = DateTime.fromISO(expiresOn, { zone: timeZone }).endOf('day');
  if (!lastDay.isValid) throw new Error('mou: invalid expiry date');
  if (lastDay.toMillis() < now.getTime()) return undefined;
  const due = lastDay.startOf('day').minus({ days: MOU_NOTICE_DAYS }).set({ hour: 9 });
  return due.toMillis() < now.getTime() ? now : due.toJSDate();
}
