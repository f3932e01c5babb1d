/**
 * A minimal RFC 5545 content-line writer: text escaping, UTC and zoned DATE-TIME values and
 * line folding. Feeds are written line by line rather than through an object model because a
 * 5-year daily series is ~1,800 events rendered on every calendar poll.
 */

const CRLF = '\r\n';
// RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
const FOLD_OCTETS = 75;
// TEXT may not carry control characters other than HTAB (3.3.11); line breaks are escaped first.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
// An IANA zone name as it may stand in a TZID parameter (no ; : , or quotes).
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

/** Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks; drops other controls. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(CONTROL, '');
}

/** Folds one content line at 75 octets (RFC 5545 3.1) without splitting a UTF-8 sequence; returns it with its CRLF. */
export function foldLine(line: string): string {
  // Most lines are short ASCII: one length check instead of a walk over the code points.
  if (line.length <= FOLD_OCTETS && !/[^\x00-\x7f]/.test(line)) return line + CRLF;
  let out = '';
  let octets = 0;
  // Continuation lines start with a space, which counts towards their 75 octets.
  for (const ch of line) {
    const size = utf8Length(ch);
    if (octets + size > FOLD_OCTETS) {
      out += CRLF + ' ';
      octets = 1;
    }
    out += ch;
    octets += size;
  }
  return out + CRLF;
}

function utf8Length(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
const pad4 = (n: number) => String(n).padStart(4, '0');

/** A DATE-TIME in UTC form: 20260308T070000Z. */
export function utcDateTime(instant: Date): string {
  return (
    pad4(instant.getUTCFullYear()) +
    pad2(instant.getUTCMonth() + 1) +
    pad2(instant.getUTCDate()) +
    'T' +
    pad2(instant.getUTCHours()) +
    pad2(instant.getUTCMinutes()) +
    pad2(instant.getUTCSeconds()) +
    'Z'
  );
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** True when zone is an IANA time zone name this runtime knows and that may stand in a TZID parameter. */
export function isUsableTimeZone(zone: string): boolean {
  if (!ZONE_NAME.test(zone)) return false;
  try {
    wallClockFormat(zone);
    return true;
  } catch {
    return false;
  }
}

function wallClockFormat(zone: string): Intl.DateTimeFormat {
  let format = wallClockFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClockFormats.set(zone, format);
  }
  return format;
}

// The offset of a zone at an instant, exactly, from Intl (the costly step: ~5 µs a call).
function exactOffsetMs(zone: string, instant: number): number {
  const parts: Record<string, string> = {};
  for (const p of wallClockFormat(zone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

// Offsets change a few times a year, never twice within a week: when a week starts and ends
// with the same offset, every instant of it has that offset, and a feed of 1,800 daily
// sessions needs ~260 exact look-ups instead of 3,600. Weeks with a change are looked up exactly.
const WEEK_MS = 7 * 86_400_000;
const boundaryOffsets = new Map<string, Map<number, number>>();

function offsetMs(zone: string, instant: number): number {
  let byWeek = boundaryOffsets.get(zone);
  if (!byWeek) boundaryOffsets.set(zone, (byWeek = new Map()));
  const week = Math.floor(instant / WEEK_MS);
  const at = (w: number) => {
    let o = byWeek.get(w);
    if (o === undefined) {
      o = exactOffsetMs(zone, w * WEEK_MS);
      // Bounded: a long-running service renders a few zones over a few years of weeks.
      if (byWeek.size > 20_000) byWeek.clear();
      byWeek.set(w, o);
    }
    return o;
  };
  const start = at(week);
  return start === at(week + 1) ? start : exactOffsetMs(zone, instant);
}

/** The wall-clock DATE-TIME of an instant in an IANA zone, for a property with TZID=zone: 20260308T030000. */
export function zonedDateTime(instant: Date, zone: string): string {
  return utcDateTime(new Date(instant.getTime() + offsetMs(zone, instant.getTime()))).slice(0, -1);
}

/** Accumulates content lines into an iCalendar object (CRLF line ends, folded). */
export class IcsWriter {
  private out = '';

  /** A property whose value is already in its iCalendar form (numbers, enumerations, DATE-TIMEs, URIs). */
  raw(name: string, value: string): this {
    this.out += foldLine(`${name}:${value}`);
    return this;
  }

  /** A TEXT property, escaped. */
  text(name: string, value: string): this {
    return this.raw(name, escapeText(value));
  }

  /** A DATE-TIME property in UTC. */
  utc(name: string, instant: Date): this {
    return this.raw(name, utcDateTime(instant));
  }

  /** A DATE-TIME property in local time of zone (TZID parameter), or in UTC when zone is null. */
  zoned(name: string, instant: Date, zone: string | null): this {
    if (zone === null) return this.utc(name, instant);
    return this.raw(`${name};TZID=${zone}`, zonedDateTime(instant, zone));
  }

  /** Content lines written elsewhere (a VTIMEZONE block), normalised to CRLF and folded. */
  block(lines: string): this {
    for (const line of lines.split(/\r\n|\n|\r/)) if (line.length > 0) this.out += foldLine(line);
    return this;
  }

  toString(): string {
    return this.out;
  }
}
