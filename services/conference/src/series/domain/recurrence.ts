import { DateTime, IANAZone } from 'luxon';
import { RRule, type Options as RRuleOptions } from 'rrule';

/**
 * Recurrence of conference series: an RFC 5545 RRULE recurring in a zone's wall-clock time.
 *
 * The rule is expanded in floating time (the local wall clock written as if it were UTC, so
 * rrule never applies an offset), and each wall-clock start is then placed in the zone:
 * a weekly 10:00 meeting stays at 10:00 local on both sides of a daylight-saving change,
 * its UTC instant moving by the offset change.
 *
 * Times that do not exist locally (the hour skipped when clocks spring forward) move forward
 * by the size of the gap (02:30 becomes 03:30), as RFC 5545 section 3.3.5 asks; times that
 * occur twice (the hour repeated when clocks fall back) take the first instance, the one
 * still on daylight time.
 */

/** A local wall-clock date-time, `YYYY-MM-DDTHH:mm:ss`, without zone or offset. */
export type WallClock = string;

/** Frequencies a conference series may recur at. */
export const SERIES_FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;

/** Most occurrences one expansion returns: far above any horizon (at most one a day, 104 weeks). */
export const MAX_OCCURRENCES = 1000;

// The time of day comes from the series' first occurrence; BYWEEKNO and BYYEARDAY serve no
// program meeting and make unsatisfiable rules easy to write. BYEASTER is an rrule extension.
const ALLOWED_PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYDAY',
  'BYMONTHDAY',
  'BYMONTH',
  'BYSETPOS',
  'WKST',
]);
const REFUSED_PARTS: Record<string, string> = {
  DTSTART: 'DTSTART is not part of the rule: give the first occurrence as firstOccurrence',
  TZID: 'TZID is not part of the rule: give the zone as timeZone',
  BYHOUR: 'BYHOUR is not supported: the time of day is that of firstOccurrence',
  BYMINUTE: 'BYMINUTE is not supported: the time of day is that of firstOccurrence',
  BYSECOND: 'BYSECOND is not supported: the time of day is that of firstOccurrence',
  BYWEEKNO: 'BYWEEKNO is not supported',
  BYYEARDAY: 'BYYEARDAY is not supported',
};

const INTEGER_LIST = /^[+-]?\d{1,3}(,[+-]?\d{1,3})*$/;
const WEEKDAY_LIST = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)(,([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU))*$/;
const UNTIL_VALUE = /^\d{8}(T\d{6}Z?)?$/;

/** A rule that passed validation: its canonical text and rrule's options (dtstart left out). */
export interface SeriesRule {
  text: string;
  options: Partial<RRuleOptions>;
}

/** Outcome of parsing an RRULE: the rule, or the reason it is refused (safe to show the caller). */
export type RuleCheck = { ok: true; rule: SeriesRule } | { ok: false; reason: string };

function refuse(reason: string): RuleCheck {
  return { ok: false, reason };
}

function inRange(values: number | number[] | null | undefined, ok: (v: number) => boolean): boolean {
  if (values === null || values === undefined) return true;
  return (Array.isArray(values) ? values : [values]).every((v) => Number.isInteger(v) && ok(v));
}

/**
 * Parses and validates one RRULE (with or without the `RRULE:` prefix) with the rrule
 * package, refusing what a series cannot use: DTSTART/TZID inside it, a FREQ other than
 * DAILY/WEEKLY/MONTHLY/YEARLY, sub-daily parts, out-of-range values. The canonical text
 * is rrule's own rendering of the parsed options.
 */
export function parseSeriesRule(input: string): RuleCheck {
  const text = input.trim().replace(/^RRULE:/i, '');
  if (text.length === 0) return refuse('the rule is empty');
  if (/[\r\n]/.test(text)) return refuse('one RRULE line only (no DTSTART, EXDATE or other properties)');
  const seen = new Set<string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toUpperCase();
    const value =
      eq < 0
        ? ''
        : part
            .slice(eq + 1)
            .trim()
            .toUpperCase();
    if (name.length === 0) return refuse('empty rule part (stray ";")');
    if (REFUSED_PARTS[name]) return refuse(REFUSED_PARTS[name]);
    if (!ALLOWED_PARTS.has(name)) return refuse(`unknown rule part ${name.slice(0, 20)}`);
    if (seen.has(name)) return refuse(`${name} appears twice`);
    seen.add(name);
    if (value.length === 0) return refuse(`${name} has no value`);
    if (name === 'FREQ' && !(SERIES_FREQUENCIES as readonly string[]).includes(value)) {
      return refuse(`FREQ must be one of ${SERIES_FREQUENCIES.join(', ')}`);
    }
    if (['INTERVAL', 'COUNT'].includes(name) && !/^\d{1,4}$/.test(value)) return refuse(`${name} must be a number`);
    if (['BYMONTHDAY', 'BYMONTH', 'BYSETPOS'].includes(name) && !INTEGER_LIST.test(value)) {
      return refuse(`${name} must be a comma-separated list of numbers`);
    }
    if (name === 'BYDAY' && !WEEKDAY_LIST.test(value)) return refuse('BYDAY must list weekdays such as MO,WE or -1TH');
    if (name === 'WKST' && !/^(MO|TU|WE|TH|FR|SA|SU)$/.test(value)) return refuse('WKST must be a weekday');
    if (name === 'UNTIL' && !UNTIL_VALUE.test(value)) return refuse('UNTIL must be a date or date-time (20271231)');
  }
  if (!seen.has('FREQ')) return refuse('FREQ is required');
  if (seen.has('COUNT') && seen.has('UNTIL')) return refuse('COUNT and UNTIL cannot both be given');

  let options: Partial<RRuleOptions>;
  try {
    options = RRule.parseString(text.toUpperCase());
  } catch (err) {
    return refuse((err as Error).message.slice(0, 200));
  }
  // A date-only UNTIL includes its whole day (the series' time of day is not part of it).
  const untilValue = /(?:^|;)UNTIL=(\d{8})(?:;|$)/i.exec(text)?.[1];
  if (untilValue && options.until) options.until = new Date(options.until.getTime() + DAY_MS - 1000);
  if (!inRange(options.interval, (v) => v >= 1 && v <= 99)) return refuse('INTERVAL must be between 1 and 99');
  if (!inRange(options.count, (v) => v >= 1 && v <= 9999)) return refuse('COUNT must be between 1 and 9999');
  if (!inRange(options.bymonth, (v) => v >= 1 && v <= 12)) return refuse('BYMONTH values must be between 1 and 12');
  if (!inRange(options.bymonthday, (v) => v !== 0 && v >= -31 && v <= 31)) {
    return refuse('BYMONTHDAY values must be between 1 and 31 or -31 and -1');
  }
  if (!inRange(options.bysetpos, (v) => v !== 0 && v >= -366 && v <= 366)) {
    return refuse('BYSETPOS values must be between 1 and 366 or -366 and -1');
  }
  // Cheap refusal of the commonest unsatisfiable rule (30 February); others are caught by the
  // bounded probe of the first occurrences (see expandOccurrences).
  const months = options.bymonth === undefined || options.bymonth === null ? [] : [options.bymonth].flat();
  const monthdays = options.bymonthday === undefined || options.bymonthday === null ? [] : [options.bymonthday].flat();
  if (months.length > 0 && monthdays.length > 0) {
    const longest = Math.max(...months.map((m) => [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!));
    if (monthdays.every((d) => Math.abs(d) > longest)) return refuse('BYMONTHDAY never occurs in the BYMONTH months');
  }
  const weekdays = options.byweekday;
  const weekdayList =
    weekdays === null || weekdays === undefined ? [] : Array.isArray(weekdays) ? weekdays : [weekdays];
  for (const w of weekdayList) {
    const n = typeof w === 'object' && w !== null ? (w as { n?: number }).n : undefined;
    if (n !== undefined && n !== 0) {
      if (options.freq !== RRule.MONTHLY && options.freq !== RRule.YEARLY) {
        return refuse('a numbered BYDAY (such as -1TH) needs FREQ=MONTHLY or FREQ=YEARLY');
      }
      if (Math.abs(n) > (options.freq === RRule.MONTHLY ? 5 : 53)) return refuse('BYDAY position out of range');
    }
  }
  const canonical = new RRule(options).toString().replace(/^RRULE:/, '');
  return { ok: true, rule: { text: canonical, options } };
}

/** True for a zone luxon knows by its IANA name (Europe/Berlin, America/New_York, UTC). */
export function isValidTimeZone(zone: string): boolean {
  return zone.length <= 64 && IANAZone.isValidZone(zone);
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Parses `YYYY-MM-DDTHH:mm[:ss]` into its fields; undefined when malformed or not a calendar date. */
export function parseWallClock(text: string): Fields | undefined {
  const m = WALL_CLOCK.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const probe = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: 'UTC' });
  if (!probe.isValid || year < 2000 || year > 2200) return undefined;
  return { year, month, day, hour, minute, second };
}

/** The canonical `YYYY-MM-DDTHH:mm:ss` of a wall-clock text (throws if malformed: validate first). */
export function normalizeWallClock(text: string): WallClock {
  const f = parseWallClock(text);
  if (!f) throw new Error('malformed wall-clock time');
  return formatFields(f);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function formatFields(f: Fields): WallClock {
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
}

/** Wall-clock fields written as a UTC instant (floating time). */
function floatingMs(f: Fields): number {
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
}

function fieldsOfFloating(ms: number): Fields {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The instant a wall-clock time denotes in a zone. A time skipped by a spring-forward change
 * moves forward by the gap; a time repeated by a fall-back change takes its first instance.
 */
export function wallClockToInstant(wall: WallClock, zoneName: string): Date {
  const f = parseWallClock(wall);
  if (!f) throw new Error('malformed wall-clock time');
  const zone = IANAZone.create(zoneName);
  if (!zone.isValid) throw new Error('unknown time zone');
  const local = floatingMs(f);
  // Offsets in force around that day: every candidate instant uses one of them.
  const offsets = [...new Set([local - DAY_MS, local, local + DAY_MS].map((t) => zone.offset(t)))];
  const fits = offsets.map((o) => local - o * 60000).filter((t) => zone.offset(t) * 60000 === local - t);
  if (fits.length > 0) return new Date(Math.min(...fits));
  // In a gap: read the wall clock with the offset before the change, which lands after the gap.
  return new Date(local - zone.offset(local - DAY_MS) * 60000);
}

/** The wall-clock time of an instant in a zone. */
export function instantToWallClock(instant: Date, zoneName: string): WallClock {
  const zone = IANAZone.create(zoneName);
  return formatFields(fieldsOfFloating(instant.getTime() + zone.offset(instant.getTime()) * 60000));
}

/** One occurrence of a series: its stable wall-clock start (RECURRENCE-ID) and the instant it starts. */
export interface Occurrence {
  recurrenceLocal: WallClock;
  startsAt: Date;
}

/** What a series recurs by. */
export interface RecurrenceSpec {
  rule: SeriesRule;
  firstOccurrence: WallClock;
  timeZone: string;
}

// The Gregorian calendar repeats every 400 years (146,097 days, a whole number of weeks), so
// a rule expanded 400·k years later yields the same dates shifted by 400·k years. rrule walks
// period by period until a date past the window appears or year 9999 is reached, which for an
// unsatisfiable rule (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) takes seconds; shifting the rule so
// the window ends within 400 years of 9999 bounds that walk.
const MAX_YEAR = 9999;

/** Years (a multiple of 400) a window ending in `endYear` is moved by so that it ends within 400 years of 9999. */
export function walkShiftYears(endYear: number): number {
  return Math.max(0, Math.floor((MAX_YEAR - 1 - endYear) / 400) * 400);
}

function shiftYears(ms: number, years: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}

/**
 * The occurrences of a series whose start falls in [from, to), at most `max`, oldest first.
 * Bounded: the walk never goes beyond 400 years past the window, whatever the rule.
 */
export function expandOccurrences(
  spec: RecurrenceSpec,
  window: { from: Date; to: Date },
  max = MAX_OCCURRENCES,
): Occurrence[] {
  if (window.to <= window.from) return [];
  const first = parseWallClock(spec.firstOccurrence);
  if (!first) throw new Error('malformed first occurrence');
  // The window in floating time, a day wider on each side to cover any zone offset.
  const fromFloating = window.from.getTime() - 2 * DAY_MS;
  const toFloating = window.to.getTime() + 2 * DAY_MS;
  const shift = walkShiftYears(new Date(toFloating).getUTCFullYear());
  const options: Partial<RRuleOptions> = {
    ...spec.rule.options,
    dtstart: new Date(shiftYears(floatingMs(first), shift)),
    tzid: null,
  };
  if (spec.rule.options.until) options.until = new Date(shiftYears(spec.rule.options.until.getTime(), shift));
  const rule = new RRule(options);
  const out: Occurrence[] = [];
  const dates = rule.between(
    new Date(shiftYears(fromFloating, shift)),
    new Date(shiftYears(toFloating, shift)),
    true,
    (_d, i) => i < max + 8,
  );
  for (const d of dates) {
    const recurrenceLocal = formatFields(fieldsOfFloating(shiftYears(d.getTime(), -shift)));
    const startsAt = wallClockToInstant(recurrenceLocal, spec.timeZone);
    if (startsAt < window.from || startsAt >= window.to) continue;
    out.push({ recurrenceLocal, startsAt });
    if (out.length >= max) break;
  }
  return out;
}

/** The first occurrence of a series at or after `from` (undefined when the rule has ended), looking ahead a bounded span. */
export function nextOccurrence(spec: RecurrenceSpec, from: Date, lookAheadYears = 2): Occurrence | undefined {
  return expandOccurrences(spec, { from, to: new Date(shiftYears(from.getTime(), lookAheadYears)) }, 1)[0];
}
