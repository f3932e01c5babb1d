import { tzlib_get_ical_block } from 'timezones-ical-library';
import { isUsableTimeZone } from './ics-writer';

/** A zone as a feed writes it: the TZID its events name and the VTIMEZONE component defining it. */
export interface CalendarZone {
  tzid: string;
  vtimezone: string;
}

const zones = new Map<string, CalendarZone | null>();

/**
 * The VTIMEZONE of an IANA zone (timezones-ical-library's current rules) under the TZID the
 * library gives it (an alias such as US/Eastern comes back as America/New_York), or null when
 * the zone is unknown: events in such a zone are then written in UTC, which every client reads
 * right, rather than with a TZID that no component defines.
 */
export function calendarZone(zone: string): CalendarZone | null {
  const cached = zones.get(zone);
  if (cached !== undefined) return cached;
  let found: CalendarZone | null = null;
  if (isUsableTimeZone(zone)) {
    const answer = tzlib_get_ical_block(zone);
    // The library answers "" (and logs) for a zone it does not know.
    const vtimezone = Array.isArray(answer) ? answer[0] : '';
    const tzid = /^TZID:([^\r\n]+)\r?$/m.exec(vtimezone)?.[1];
    if (vtimezone && tzid && isUsableTimeZone(tzid)) found = { tzid, vtimezone };
  }
  zones.set(zone, found);
  return found;
}
