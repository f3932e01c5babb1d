import { MouChangedHandler } from '../agencies/mou-changed/mou-changed.handler';
import { SessionHorizonJob } from '../series/horizon/session-horizon.job';
import { startConferenceTestApp, type ConferenceTestApp } from '../testing/conference-test-app';
import { parseFeed, type ParsedFeed } from './testing/parse-feed';

const NY = 'America/New_York';

// The Sundays of the next March DST change in New York and the Monday either side of it.
function nextMarchChange() {
  const year = new Date().getUTCFullYear() + 1;
  const firstSunday = 1 + ((7 - new Date(Date.UTC(year, 2, 1)).getUTCDay()) % 7);
  const change = firstSunday + 7;
  const day = (d: number) => `${year}-03-${String(d).padStart(2, '0')}`;
  return { year, before: day(change - 6), after: day(change + 1) };
}

describe('calendar feeds of series and sessions made through the series API', () => {
  let t: ConferenceTestApp;
  let admin: string;
  let chair: string;
  let member: string;
  let outsider: string;
  const { year, before, after } = nextMarchChange();

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  async function feed(path: string): Promise<ParsedFeed> {
    const res = await fetch(`${t.url}${path}`);
    expect(res.status).toBe(200);
    return parseFeed(await res.text());
  }

  beforeAll(async () => {
    t = await startConferenceTestApp('calendars_api');
    admin = await t.token('admin');
    chair = `metro-crisis-${t.run}`;
    member = `harbor-recovery-${t.run}`;
    outsider = `northside-housing-${t.run}`;
    for (const agencyId of [chair, member, outsider]) {
      await t.deliver(MouChangedHandler, 'cit.referral.mou-changed.v1', `mou-${agencyId}`, {
        mouId: `mou-${agencyId}`,
        agencyId,
        status: 'active',
        effectiveFrom: '2026-01-01',
        expiresOn: '2099-12-31',
        revision: 1,
      });
    }
    const settings = await call('PUT', '/v1/settings', admin, {
      timeZone: NY,
      horizonWeeks: 20,
      familyFormEnabled: false,
      expectedVersion: 0,
    });
    expect(settings.status).toBe(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('follows the series service: 09:00 local across DST, then a cancel and a reschedule under the same UIDs', async () => {
    const created = await call('POST', '/v1/series', admin, {
      kind: 'hub',
      title: 'Eastside HUB table',
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      firstOccurrence: `${year}-02-01T09:00`,
      durationMinutes: 90,
      location: 'Precinct 4, room 2',
      meetingUrl: 'https://meet.example.org/j/eastside',
      members: [
        { agencyId: chair, role: 'chair' },
        { agencyId: member, role: 'member' },
      ],
      caseCapacity: 6,
      nominationCutoffHours: 48,
    });
    expect(created.status).toBe(201);
    const seriesId = created.body.id as string;
    // Sessions as the horizon job generates them, as of the start of the series.
    await t.app.get(SessionHorizonJob).runOnce(new Date(`${year}-01-25T12:00:00Z`));

    const coordinator = await t.token('coordinator');
    const seriesFeed = await call('POST', '/v1/calendar-feeds', coordinator, { scope: 'series', seriesId });
    expect(seriesFeed.status).toBe(201);
    const memberFeed = await call('POST', '/v1/calendar-feeds', await t.partnerToken(member), {
      scope: 'agency',
      agencyId: member,
    });
    expect(memberFeed.status).toBe(201);

    const first = await feed(seriesFeed.body.path as string);
    expect(first.name).toBe('Eastside HUB table');
    expect(first.vtimezones).toEqual([NY]);
    const onDay = (f: ParsedFeed, day: string) => f.events.find((e) => e.startLocal.startsWith(day));
    const b1 = onDay(first, before)!;
    const a1 = onDay(first, after)!;
    expect(b1.startLocal).toBe(`${before}T09:00:00`);
    expect(a1.startLocal).toBe(`${after}T09:00:00`);
    // EST then EDT: the same wall clock an hour apart in UTC.
    expect(b1.start.getUTCHours()).toBe(14);
    expect(a1.start.getUTCHours()).toBe(13);
    expect([b1.status, a1.status, b1.sequence, a1.sequence]).toEqual(['CONFIRMED', 'CONFIRMED', 0, 0]);
    expect(b1.url).toBe('https://meet.example.org/j/eastside');

    const sessionId = (uid: string) => uid.split('@')[0];
    const cancel = await call('POST', `/v1/sessions/${sessionId(b1.uid)}/cancel`, admin, { reason: 'holiday' });
    expect(cancel.status).toBe(200);
    const moved = await call('POST', `/v1/sessions/${sessionId(a1.uid)}/reschedule`, admin, {
      startsAt: `${after}T11:00`,
    });
    expect(moved.status).toBe(200);

    for (const path of [seriesFeed.body.path as string, memberFeed.body.path as string]) {
      const next = await feed(path);
      const b2 = next.events.find((e) => e.uid === b1.uid)!;
      const a2 = next.events.find((e) => e.uid === a1.uid)!;
      expect(b2).toMatchObject({ status: 'CANCELLED', sequence: 1, startLocal: b1.startLocal });
      expect(a2).toMatchObject({ status: 'CONFIRMED', sequence: 1, startLocal: `${after}T11:00:00` });
      expect(a2.start.getTime()).toBe(a1.start.getTime() + 2 * 3_600_000);
      expect(next.events.length).toBe(first.events.length);
    }

    // An agency with an MOU but in no series: an empty calendar, not someone else's.
    const outsiderFeed = await call('POST', '/v1/calendar-feeds', await t.partnerToken(outsider), {
      scope: 'agency',
      agencyId: outsider,
    });
    expect(outsiderFeed.status).toBe(201);
    expect((await feed(outsiderFeed.body.path as string)).events).toEqual([]);
  });
});
