import {
  expandOccurrences,
  wallClockToInstant,
  type Occurrence,
  type RecurrenceSpec,
  type WallClock,
} from './recurrence';

/**
 * What sessions a series should have, and how to get there from the sessions it has.
 * Plain data in, a list of changes out: the store applies them and emits their events.
 */

/** What a series gives each of its sessions. */
export interface SessionTemplate {
  recurrence: RecurrenceSpec;
  durationMinutes: number;
  nominationCutoffHours: number;
  caseCapacity: number;
  location: string | null;
  meetingUrl: string | null;
}

/** The time, place and capacity of a session. */
export interface SessionFields {
  startsAt: Date;
  endsAt: Date;
  cutoffAt: Date;
  caseCapacity: number;
  location: string | null;
  meetingUrl: string | null;
}

/** A stored session, as far as planning needs it. */
export interface PlannedSession extends SessionFields {
  id: string;
  recurrenceLocal: WallClock;
  status: 'scheduled' | 'cancelled';
  rescheduled: boolean;
}

/** One change to apply to a series' sessions. */
export type SessionChange =
  | { kind: 'create'; recurrenceLocal: WallClock; fields: SessionFields }
  | { kind: 'update'; id: string; recurrenceLocal: WallClock; fields: SessionFields }
  | { kind: 'cancel'; id: string }
  /** A cancelled session's occurrence moved with the series' time of day: it stays cancelled under its new RECURRENCE-ID. */
  | { kind: 'relabel'; id: string; recurrenceLocal: WallClock };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** End and nomination cutoff of a session starting at startsAt. */
export function sessionTimes(
  startsAt: Date,
  durationMinutes: number,
  cutoffHours: number,
): Pick<SessionFields, 'startsAt' | 'endsAt' | 'cutoffAt'> {
  return {
    startsAt,
    endsAt: new Date(startsAt.getTime() + durationMinutes * MINUTE_MS),
    cutoffAt: new Date(startsAt.getTime() - cutoffHours * HOUR_MS),
  };
}

/** The fields a series gives the session of one occurrence. */
export function fieldsForOccurrence(template: SessionTemplate, occurrence: Occurrence): SessionFields {
  return {
    ...sessionTimes(occurrence.startsAt, template.durationMinutes, template.nominationCutoffHours),
    caseCapacity: template.caseCapacity,
    location: template.location,
    meetingUrl: template.meetingUrl,
  };
}

/** New sessions for the occurrences starting in (now, until] that have none yet (the rolling horizon). */
export function planHorizon(
  template: SessionTemplate,
  existingRecurrences: ReadonlySet<WallClock>,
  now: Date,
  until: Date,
): SessionChange[] {
  return expandOccurrences(template.recurrence, { from: new Date(now.getTime() + 1), to: until })
    .filter((o) => !existingRecurrences.has(o.recurrenceLocal))
    .map((o) => ({ kind: 'create', recurrenceLocal: o.recurrenceLocal, fields: fieldsForOccurrence(template, o) }));
}

function sameFields(a: SessionFields, b: SessionFields): boolean {
  return (
    a.startsAt.getTime() === b.startsAt.getTime() &&
    a.endsAt.getTime() === b.endsAt.getTime() &&
    a.cutoffAt.getTime() === b.cutoffAt.getTime() &&
    a.caseCapacity === b.caseCapacity &&
    a.location === b.location &&
    a.meetingUrl === b.meetingUrl
  );
}

/**
 * A series was edited: bring its future sessions (those starting after now) in line.
 *
 * - An occurrence that still exists keeps its session (same id, so calendars keep the event);
 *   a changed time, duration, place, capacity or cutoff updates it.
 * - A session rescheduled by hand keeps its own time, duration and place; capacity and the
 *   cutoff rule still follow the series.
 * - When the time of day moves (10:00 → 11:00), an occurrence's RECURRENCE-ID changes: the
 *   session of the same local date is updated rather than cancelled and created again.
 * - A session whose occurrence is gone is cancelled (its cases move); new occurrences up to
 *   the horizon get new sessions. Cancelled sessions stay cancelled (a holiday stays off when
 *   the time of day moves); past ones are never touched.
 */
export function planSeriesChange(
  template: SessionTemplate,
  future: readonly PlannedSession[],
  now: Date,
  horizonEnd: Date,
): SessionChange[] {
  // The window covers every future session's original occurrence too (a session moved past
  // the horizon, or a past occurrence moved into the future, must find its occurrence).
  let from = now.getTime() + 1;
  let to = horizonEnd.getTime();
  for (const s of future) {
    const original = wallClockToInstant(s.recurrenceLocal, template.recurrence.timeZone).getTime();
    from = Math.min(from, original);
    to = Math.max(to, original + 1, s.startsAt.getTime() + 1);
  }
  const occurrences = expandOccurrences(template.recurrence, { from: new Date(from), to: new Date(to) });
  const byRecurrence = new Map(future.map((s) => [s.recurrenceLocal, s]));
  const changes: SessionChange[] = [];
  const unmatchedOccurrences: Occurrence[] = [];
  const matched = new Set<string>();

  const update = (s: PlannedSession, recurrenceLocal: WallClock, occurrence: Occurrence) => {
    const desired = s.rescheduled
      ? {
          ...sessionTimes(
            s.startsAt,
            (s.endsAt.getTime() - s.startsAt.getTime()) / MINUTE_MS,
            template.nominationCutoffHours,
          ),
          caseCapacity: template.caseCapacity,
          location: s.location,
          meetingUrl: s.meetingUrl,
        }
      : fieldsForOccurrence(template, occurrence);
    if (desired.startsAt.getTime() <= now.getTime()) {
      // Moved to a time already past: the session can no longer take place.
      changes.push({ kind: 'cancel', id: s.id });
    } else if (!sameFields(desired, s) || recurrenceLocal !== s.recurrenceLocal) {
      changes.push({ kind: 'update', id: s.id, recurrenceLocal, fields: desired });
    }
  };

  for (const o of occurrences) {
    const s = byRecurrence.get(o.recurrenceLocal);
    if (!s) {
      unmatchedOccurrences.push(o);
      continue;
    }
    matched.add(s.id);
    if (s.status === 'scheduled') update(s, o.recurrenceLocal, o);
  }

  const orphansByDate = new Map<string, PlannedSession[]>();
  for (const s of future) {
    if (matched.has(s.id)) continue;
    const date = s.recurrenceLocal.slice(0, 10);
    orphansByDate.set(date, [...(orphansByDate.get(date) ?? []), s]);
  }
  for (const o of unmatchedOccurrences) {
    const sameDay = orphansByDate.get(o.recurrenceLocal.slice(0, 10));
    const s = sameDay?.shift();
    if (s) {
      matched.add(s.id);
      if (s.status === 'scheduled') update(s, o.recurrenceLocal, o);
      else changes.push({ kind: 'relabel', id: s.id, recurrenceLocal: o.recurrenceLocal });
    } else if (o.startsAt.getTime() > now.getTime() && o.startsAt.getTime() <= horizonEnd.getTime()) {
      changes.push({ kind: 'create', recurrenceLocal: o.recurrenceLocal, fields: fieldsForOccurrence(template, o) });
    }
  }
  for (const s of future) {
    if (!matched.has(s.id) && s.status === 'scheduled') changes.push({ kind: 'cancel', id: s.id });
  }
  return changes;
}
