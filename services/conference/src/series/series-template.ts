import { parseSeriesRule } from './domain/recurrence';
import type { SessionTemplate } from './domain/session-plan';
import type { SeriesRecord } from './series.record';

/** What a stored series gives its sessions (its rule was validated when saved). */
export function templateOf(
  series: Pick<
    SeriesRecord,
    | 'rrule'
    | 'firstOccurrence'
    | 'timeZone'
    | 'durationMinutes'
    | 'nominationCutoffHours'
    | 'caseCapacity'
    | 'location'
    | 'meetingUrl'
    | 'id'
  >,
): SessionTemplate {
  const check = parseSeriesRule(series.rrule);
  if (!check.ok) throw new Error(`series ${series.id} holds a rule that no longer parses: ${check.reason}`);
  return {
    recurrence: { rule: check.rule, firstOccurrence: series.firstOccurrence, timeZone: series.timeZone },
    durationMinutes: series.durationMinutes,
    nominationCutoffHours: series.nominationCutoffHours,
    caseCapacity: series.caseCapacity,
    location: series.location,
    meetingUrl: series.meetingUrl,
  };
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** End of the rolling horizon: `weeks` weeks after now. */
export function horizonEnd(now: Date, weeks: number): Date {
  return new Date(now.getTime() + weeks * WEEK_MS);
}
