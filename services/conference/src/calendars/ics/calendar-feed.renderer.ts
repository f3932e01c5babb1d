import { IcsWriter } from './ics-writer';
import { calendarZone, type CalendarZone } from './vtimezone';

/** One session as a feed shows it: times, place and counts, never anything about a person. */
export interface FeedEvent {
  sessionId: string;
  seriesTitle: string;
  seriesKind: string;
  /** The series' IANA zone: DTSTART/DTEND are written in its wall-clock time. */
  timeZone: string;
  startsAt: Date;
  endsAt: Date;
  status: 'scheduled' | 'cancelled';
  /** Raised on every change of the session (time, place, status, capacity). */
  sequence: number;
  location: string | null;
  meetingUrl: string | null;
  /** The last change of what the event shows (session, series title, agenda count): DTSTAMP and LAST-MODIFIED. */
  updatedAt: Date;
  /** Cases on the session's agenda (a count only). */
  caseCount: number;
  /** 0 = the session takes no cases (a stakeholder meeting or a cross-training). */
  caseCapacity: number;
}

/** What a feed renders: its name, its default zone and its sessions in order. */
export interface FeedCalendar {
  name: string;
  /** X-WR-TIMEZONE: the zone clients show floating times in (the department's or the series'). */
  timeZone: string;
  /** Right-hand side of every UID: fixed per deployment so UIDs never change between polls. */
  uidDomain: string;
  events: readonly FeedEvent[];
}

/** The product identifier of every feed (RFC 5545 3.7.3). */
export const FEED_PRODID = '-//CIT Platform//Case conferences//EN';

const KIND_LABELS: Readonly<Record<string, string>> = {
  hub: 'HUB / Situation Table',
  ccit: 'CCIT case conference',
  clear: 'CLEAR team meeting',
  stakeholder: 'Stakeholder meeting',
  'cross-training': 'Cross-training',
  custom: 'Meeting',
};

/** The SUMMARY of a session: its series' title and kind. */
export function eventSummary(title: string, kind: string): string {
  return `${title} (${KIND_LABELS[kind] ?? kind})`;
}

/**
 * Renders a feed as an RFC 5545 VCALENDAR (METHOD:PUBLISH): one VEVENT per session with a UID
 * stable across renders (`<sessionId>@<uidDomain>`), SEQUENCE from the session, STATUS
 * CONFIRMED or CANCELLED, times in the series' zone with the VTIMEZONE of every zone used.
 * Deterministic: the same input gives the same bytes (DTSTAMP is the event's last change),
 * which is what makes the feed's ETag meaningful.
 */
export function renderCalendarFeed(calendar: FeedCalendar): string {
  const zones = new Map<string, CalendarZone | null>();
  const zoneOf = (name: string) => {
    if (!zones.has(name)) zones.set(name, calendarZone(name));
    return zones.get(name) ?? null;
  };
  const defaultZone = zoneOf(calendar.timeZone);
  for (const e of calendar.events) zoneOf(e.timeZone);

  const w = new IcsWriter();
  w.raw('BEGIN', 'VCALENDAR')
    .raw('VERSION', '2.0')
    .raw('PRODID', FEED_PRODID)
    .raw('CALSCALE', 'GREGORIAN')
    .raw('METHOD', 'PUBLISH')
    .text('NAME', calendar.name)
    .text('X-WR-CALNAME', calendar.name)
    .raw('X-WR-TIMEZONE', defaultZone?.tzid ?? 'UTC')
    // A hint to subscribing clients; they poll with If-None-Match and mostly get a 304.
    .raw('REFRESH-INTERVAL;VALUE=DURATION', 'PT1H')
    .raw('X-PUBLISHED-TTL', 'PT1H');
  const written = new Set<string>();
  for (const zone of zones.values()) {
    if (zone && !written.has(zone.tzid)) {
      written.add(zone.tzid);
      w.block(zone.vtimezone);
    }
  }
  for (const e of calendar.events) writeEvent(w, e, zones.get(e.timeZone) ?? null, calendar.uidDomain);
  w.raw('END', 'VCALENDAR');
  return w.toString();
}

function writeEvent(w: IcsWriter, e: FeedEvent, zone: CalendarZone | null, uidDomain: string): void {
  const tzid = zone?.tzid ?? null;
  const link = safeLink(e.meetingUrl);
  w.raw('BEGIN', 'VEVENT')
    .raw('UID', `${e.sessionId}@${uidDomain}`)
    .utc('DTSTAMP', e.updatedAt)
    .utc('LAST-MODIFIED', e.updatedAt)
    .raw('SEQUENCE', String(e.sequence))
    .zoned('DTSTART', e.startsAt, tzid)
    .zoned('DTEND', e.endsAt, tzid)
    .raw('STATUS', e.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED')
    .text('SUMMARY', eventSummary(e.seriesTitle, e.seriesKind));
  const location = e.location ?? link;
  if (location) w.text('LOCATION', location);
  if (link) w.raw('URL', link);
  const description = eventDescription(e, link);
  if (description) w.text('DESCRIPTION', description);
  w.raw('END', 'VEVENT');
}

// Counts only: who is on the agenda is never in a feed, whose URL is a bearer secret.
function eventDescription(e: FeedEvent, link: string | null): string {
  const lines: string[] = [];
  if (e.status === 'cancelled') lines.push('This session is cancelled.');
  else if (e.caseCapacity > 0) lines.push(`Cases on the agenda: ${e.caseCount} of ${e.caseCapacity}`);
  if (link) lines.push(`Meeting link: ${link}`);
  return lines.join('\n');
}

// A URI value is not escaped (RFC 5545 3.3.13): only a well-formed http(s) URL is written.
function safeLink(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    return parsed.href;
  } catch {
    return null;
  }
}
