import { DateTime, Duration } from 'luxon';

/** One opening of a week day, local wall-clock times "HH:MM" (close after open, same day). */
export interface OpeningHours {
  /** ISO week day: 1 = Monday … 7 = Sunday. */
  day: number;
  open: string;
  close: string;
}

/** A department's business hours in its IANA time zone. */
export interface BusinessHours {
  timeZone: string;
  weekly: readonly OpeningHours[];
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function parseHhmm(value: string): { hour: number; minute: number } {
  const m = HHMM.exec(value);
  if (!m) throw new Error(`business hours: ${value} is not HH:MM`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** True when the zone is an IANA zone luxon (ICU) knows. */
export function isValidTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** Problems with a business-hours definition (empty when valid); named by field, never by value. */
export function businessHoursProblems(hours: BusinessHours): string[] {
  const problems: string[] = [];
  if (!isValidTimeZone(hours.timeZone)) problems.push('timeZone: unknown time zone');
  hours.weekly.forEach((o, i) => {
    if (!Number.isInteger(o.day) || o.day < 1 || o.day > 7) problems.push(`weekly.${i}.day: must be 1 (Monday) to 7`);
    if (!HHMM.test(o.open)) problems.push(`weekly.${i}.open: must be HH:MM`);
    if (!HHMM.test(o.close)) problems.push(`weekly.${i}.close: must be HH:MM`);
    if (HHMM.test(o.open) && HHMM.test(o.close) && o.close <= o.open)
      problems.push(`weekly.${i}.close: must be after open`);
  });
  return problems;
}

/**
 * The opening and closing instants of one local calendar day. Wall-clock times that do not
 * exist (spring-forward gap) move forward by the gap, as luxon does; an ambiguous time
 * (fall-back overlap) takes the earlier instant.
 */
function intervalsOn(day: DateTime, hours: BusinessHours): Array<{ open: DateTime; close: DateTime }> {
  return hours.weekly
    .filter((o) => o.day === day.weekday)
    .map((o) => ({
      open: day.set({ ...parseHhmm(o.open), second: 0, millisecond: 0 }),
      close: day.set({ ...parseHhmm(o.close), second: 0, millisecond: 0 }),
    }))
    .sort((a, b) => a.open.toMillis() - b.open.toMillis());
}

/**
 * The first instant at or after `at` that is within business hours: `at` itself when open,
 * else the next opening (in the department's zone, daylight saving respected). Without any
 * opening in the week, `at` is returned unchanged (nothing would ever fire otherwise).
 */
export function nextBusinessInstant(at: Date, hours: BusinessHours): Date {
  if (hours.weekly.length === 0) return at;
  const local = DateTime.fromJSDate(at, { zone: hours.timeZone });
  if (!local.isValid) throw new Error('business hours: invalid time zone');
  for (let d = 0; d <= 8; d++) {
    const day = local.startOf('day').plus({ days: d });
    for (const { open, close } of intervalsOn(day, hours)) {
      if (close.toMillis() <= local.toMillis()) continue;
      return open.toMillis() <= local.toMillis() ? at : open.toJSDate();
    }
  }
  return at;
}

/**
 * The instant `interval` (ISO 8601: PT24H, P7D) after `anchor` in the zone: hours are absolute
 * time, days are calendar days (a 7-day step keeps the local wall-clock time across DST).
 */
export function addInterval(anchor: Date, interval: string, timeZone: string): Date {
  const duration = Duration.fromISO(interval);
  if (!duration.isValid) throw new Error('cadence: invalid ISO 8601 duration');
  return DateTime.fromJSDate(anchor, { zone: timeZone }).plus(duration).toJSDate();
}
