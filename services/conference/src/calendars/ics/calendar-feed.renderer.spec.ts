import { parseFeed } from '../testing/parse-feed';
import { FEED_PRODID, renderCalendarFeed, type FeedEvent } from './calendar-feed.renderer';

const NY = 'America/New_York';

function session(over: Partial<FeedEvent> & { startsAt: Date }): FeedEvent {
  return {
    sessionId: 'ses_00000000000000000000000000000001',
    seriesTitle: 'Metro HUB table',
    seriesKind: 'hub',
    timeZone: NY,
    endsAt: new Date(over.startsAt.getTime() + 90 * 60_000),
    status: 'scheduled',
    sequence: 0,
    location: 'Police HQ, room 2',
    meetingUrl: null,
    updatedAt: new Date('2026-02-01T10:00:00Z'),
    caseCount: 3,
    caseCapacity: 8,
    ...over,
  };
}

// Mondays 09:00 New York: the week before and the week after DST starts (2026-03-08).
const beforeDst = session({ sessionId: 'ses_' + 'a'.repeat(32), startsAt: new Date('2026-03-02T14:00:00Z') });
const afterDst = session({ sessionId: 'ses_' + 'b'.repeat(32), startsAt: new Date('2026-03-09T13:00:00Z') });

describe('renderCalendarFeed', () => {
  it('is a PUBLISH calendar with its name, zone and one VTIMEZONE per zone used', () => {
    const chicago = session({
      sessionId: 'ses_' + 'c'.repeat(32),
      timeZone: 'America/Chicago',
      startsAt: new Date('2026-03-03T15:00:00Z'),
    });
    const feed = parseFeed(
      renderCalendarFeed({
        name: 'HUB, weekly; all',
        timeZone: NY,
        uidDomain: 'cit-platform',
        events: [beforeDst, afterDst, chicago],
      }),
    );
    expect(feed.method).toBe('PUBLISH');
    expect(feed.prodid).toBe(FEED_PRODID);
    expect(feed.name).toBe('HUB, weekly; all');
    expect(feed.timeZone).toBe(NY);
    expect(feed.vtimezones).toEqual([NY, 'America/Chicago']);
    expect(feed.events).toHaveLength(3);
  });

  it('writes the wall clock in the series zone, which ical.js turns into the right instants across DST', () => {
    const feed = parseFeed(
      renderCalendarFeed({ name: 'x', timeZone: NY, uidDomain: 'cit-platform', events: [beforeDst, afterDst] }),
    );
    const [a, b] = feed.events;
    expect([a.tzid, b.tzid]).toEqual([NY, NY]);
    expect([a.startLocal, b.startLocal]).toEqual(['2026-03-02T09:00:00', '2026-03-09T09:00:00']);
    expect(a.start.toISOString()).toBe('2026-03-02T14:00:00.000Z');
    expect(b.start.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(b.end.toISOString()).toBe('2026-03-09T14:30:00.000Z');
  });

  it('gives each session a stable UID, its SEQUENCE, STATUS and its last change as DTSTAMP', () => {
    const cancelled = {
      ...afterDst,
      status: 'cancelled' as const,
      sequence: 3,
      updatedAt: new Date('2026-02-20T08:30:00Z'),
    };
    const input = { name: 'x', timeZone: NY, uidDomain: 'conf.example.org', events: [beforeDst, cancelled] };
    const ics = renderCalendarFeed(input);
    // Deterministic: the ETag of an unchanged feed stays the same.
    expect(renderCalendarFeed(input)).toBe(ics);
    const [a, b] = parseFeed(ics).events;
    expect(a.uid).toBe(`${beforeDst.sessionId}@conf.example.org`);
    expect(b.uid).toBe(`${afterDst.sessionId}@conf.example.org`);
    expect([a.sequence, b.sequence]).toEqual([0, 3]);
    expect([a.status, b.status]).toEqual(['CONFIRMED', 'CANCELLED']);
    expect(b.dtstamp.toISOString()).toBe('2026-02-20T08:30:00.000Z');
    expect(b.lastModified?.toISOString()).toBe('2026-02-20T08:30:00.000Z');
    expect(b.description).toBe('This session is cancelled.');
  });

  it('summarises with series title and kind, place and link, and counts of cases only', () => {
    const online = session({
      startsAt: new Date('2026-04-01T16:00:00Z'),
      seriesTitle: 'CCIT; North, "monthly"\nsecond line',
      seriesKind: 'ccit',
      location: null,
      meetingUrl: 'https://meet.example.org/j/123?pwd=a,b;c',
    });
    const training = session({
      startsAt: new Date('2026-04-02T16:00:00Z'),
      seriesKind: 'cross-training',
      caseCapacity: 0,
      caseCount: 0,
    });
    const [e, t] = parseFeed(
      renderCalendarFeed({ name: 'x', timeZone: NY, uidDomain: 'cit-platform', events: [online, training] }),
    ).events;
    expect(e.summary).toBe('CCIT; North, "monthly"\nsecond line (CCIT case conference)');
    expect(e.location).toBe('https://meet.example.org/j/123?pwd=a,b;c');
    expect(e.url).toBe('https://meet.example.org/j/123?pwd=a,b;c');
    expect(e.description).toBe('Cases on the agenda: 3 of 8\nMeeting link: https://meet.example.org/j/123?pwd=a,b;c');
    expect(t.summary).toBe('Metro HUB table (Cross-training)');
    expect(t.location).toBe('Police HQ, room 2');
    expect(t.description).toBeNull();
    // The whole vocabulary of an event: nothing else can carry a person's data.
    expect(new Set([...e.properties, ...t.properties])).toEqual(
      new Set([
        'uid',
        'dtstamp',
        'last-modified',
        'sequence',
        'dtstart',
        'dtend',
        'status',
        'summary',
        'location',
        'url',
        'description',
      ]),
    );
  });

  it('drops a link that is not an http(s) URL', () => {
    const [e] = parseFeed(
      renderCalendarFeed({
        name: 'x',
        timeZone: NY,
        uidDomain: 'cit-platform',
        events: [session({ startsAt: new Date('2026-04-01T16:00:00Z'), meetingUrl: 'javascript:alert(1)' })],
      }),
    ).events;
    expect(e.url).toBeNull();
    expect(e.description).toBe('Cases on the agenda: 3 of 8');
  });

  it('writes a session of an unknown zone in UTC instead of naming an undefined TZID', () => {
    const odd = session({ startsAt: new Date('2026-05-05T12:00:00Z'), timeZone: 'Mars/Olympus_Mons' });
    const feed = parseFeed(
      renderCalendarFeed({ name: 'x', timeZone: 'Mars/Olympus_Mons', uidDomain: 'cit-platform', events: [odd] }),
    );
    expect(feed.vtimezones).toEqual([]);
    expect(feed.timeZone).toBe('UTC');
    expect(feed.events[0].tzid).toBeNull();
    expect(feed.events[0].start.toISOString()).toBe('2026-05-05T12:00:00.000Z');
  });

  it('names a zone alias by the TZID of the VTIMEZONE it carries', () => {
    const feed = parseFeed(
      renderCalendarFeed({
        name: 'x',
        timeZone: 'US/Eastern',
        uidDomain: 'cit-platform',
        events: [{ ...afterDst, timeZone: 'US/Eastern' }],
      }),
    );
    expect(feed.vtimezones).toEqual([NY]);
    expect(feed.events[0].tzid).toBe(NY);
    expect(feed.events[0].start.toISOString()).toBe('2026-03-09T13:00:00.000Z');
  });

  it('renders an empty calendar for a feed with no sessions', () => {
    const ics = renderCalendarFeed({ name: 'x', timeZone: NY, uidDomain: 'cit-platform', events: [] });
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(parseFeed(ics).events).toEqual([]);
  });
});
