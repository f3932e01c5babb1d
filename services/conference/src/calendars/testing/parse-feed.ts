import { createRequire } from 'node:module';

type IcalModule = (typeof import('ical.js', { with: { 'resolution-mode': 'import' } }))['default'];
// ical.js publishes ES module types only; its CommonJS build is what this CommonJS code loads.
const ICAL = createRequire(__filename)('ical.js') as IcalModule;

/** One VEVENT of a feed as a real iCalendar parser (ical.js) reads it. */
export interface ParsedFeedEvent {
  uid: string;
  sequence: number;
  status: string;
  summary: string;
  location: string | null;
  url: string | null;
  description: string | null;
  /** The TZID DTSTART names (null when written in UTC). */
  tzid: string | null;
  /** DTSTART's wall clock as written, e.g. 2026-03-09T09:00:00. */
  startLocal: string;
  /** The instants ical.js computes from the wall clock and the feed's own VTIMEZONE. */
  start: Date;
  end: Date;
  dtstamp: Date;
  lastModified: Date | null;
  /** Every property name of the event, for the no-person-data checks. */
  properties: string[];
}

/** A feed as ical.js reads it. */
export interface ParsedFeed {
  method: string;
  prodid: string;
  name: string;
  timeZone: string;
  /** TZIDs of the VTIMEZONE components the feed carries. */
  vtimezones: string[];
  events: ParsedFeedEvent[];
}

/**
 * Parses a feed with ical.js after registering only the feed's own VTIMEZONE components (the
 * service's registry is reset first), so every instant comes from what the feed itself says.
 */
export function parseFeed(ics: string): ParsedFeed {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  ICAL.TimezoneService.reset();
  const vtimezones = calendar.getAllSubcomponents('vtimezone');
  for (const vtz of vtimezones) ICAL.TimezoneService.register(vtz);
  const text = (c: InstanceType<typeof ICAL.Component>, name: string) => {
    const v = c.getFirstPropertyValue(name);
    return v === null || v === undefined ? null : String(v);
  };
  const time = (c: InstanceType<typeof ICAL.Component>, name: string) => {
    const v = c.getFirstPropertyValue(name) as InstanceType<typeof ICAL.Time> | null;
    return v ? v.toJSDate() : null;
  };
  return {
    method: text(calendar, 'method') ?? '',
    prodid: text(calendar, 'prodid') ?? '',
    name: unescapeText(text(calendar, 'x-wr-calname') ?? ''),
    timeZone: text(calendar, 'x-wr-timezone') ?? '',
    vtimezones: vtimezones.map((z) => String(z.getFirstPropertyValue('tzid'))),
    events: calendar.getAllSubcomponents('vevent').map((v) => {
      const event = new ICAL.Event(v);
      const dtstart = v.getFirstProperty('dtstart');
      const startLocal = event.startDate.toString().replace(/Z$/, '');
      return {
        uid: event.uid,
        sequence: event.sequence,
        status: text(v, 'status') ?? '',
        summary: event.summary,
        location: text(v, 'location'),
        url: text(v, 'url'),
        description: text(v, 'description'),
        tzid: (dtstart?.getParameter('tzid') as string | undefined) ?? null,
        startLocal,
        start: event.startDate.toJSDate(),
        end: event.endDate.toJSDate(),
        dtstamp: time(v, 'dtstamp') ?? new Date(NaN),
        lastModified: time(v, 'last-modified'),
        properties: v.getAllProperties().map((p) => p.name),
      };
    }),
  };
}

// ical.js types X- properties (and RFC 7986 NAME) as unknown and leaves their TEXT escaped.
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
