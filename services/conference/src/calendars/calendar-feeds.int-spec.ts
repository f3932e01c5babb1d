import { newId } from '@cit/contracts';
import { startConferenceTestApp, type ConferenceTestApp } from '../testing/conference-test-app';
import { MAX_ACTIVE_FEEDS_PER_TARGET } from './manage-feeds/manage-feeds.service';
import { parseFeed, type ParsedFeedEvent } from './testing/parse-feed';

const NY = 'America/New_York';
const CHICAGO = 'America/Chicago';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// The Mondays either side of the next March DST change in New York (second Sunday of March):
// 09:00 EST is 14:00Z, 09:00 EDT is 13:00Z. Next year's, so the feed's past window never drops them.
function dstMondays(): { before: Date; after: Date } {
  const year = new Date().getUTCFullYear() + 1;
  const firstSunday = 1 + ((7 - new Date(Date.UTC(year, 2, 1)).getUTCDay()) % 7);
  const change = firstSunday + 7;
  return {
    before: new Date(Date.UTC(year, 2, change - 6, 14)),
    after: new Date(Date.UTC(year, 2, change + 1, 13)),
  };
}

describe('calendar feeds (iCalendar, parsed with ical.js)', () => {
  let t: ConferenceTestApp;
  let admin: string;
  let coordinator: string;
  const agencyX = 'agency-x';
  const agencyY = 'agency-y';
  const hubSeries = newId('ser');
  const ccitSeries = newId('ser');
  const otherDeptSeries = newId('ser');
  const { before, after } = dstMondays();
  const hubBefore = newId('ses');
  const hubAfter = newId('ses');
  const hubOld = newId('ses');
  const ccitSession = newId('ses');
  const otherDeptSession = newId('ses');

  const owner = () => t.db.ownerDataSource;

  async function series(dept: string, id: string, kind: string, title: string, zone: string, members: string[]) {
    await owner().query(
      `INSERT INTO conference_series (department_id, id, kind, title, rrule, time_zone, dtstart_local, duration_minutes,
         location, meeting_url, case_capacity, nomination_cutoff_hours, created_by, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, 'FREQ=WEEKLY;BYDAY=MO', $5, '2026-01-05 09:00', 90, 'Police HQ, room 2', NULL, 8, 48,
         'test', 'test', '2026-01-09T12:00:00Z')`,
      [dept, id, kind, title, zone],
    );
    for (const agency of members) {
      await owner().query(
        `INSERT INTO conference_series_member (department_id, series_id, agency_id, role) VALUES ($1, $2, $3, 'member')`,
        [dept, id, agency],
      );
    }
  }

  async function session(
    dept: string,
    id: string,
    seriesId: string,
    zone: string,
    startsAt: Date,
    meetingUrl?: string,
  ) {
    await owner().query(
      `INSERT INTO conference_session (department_id, id, series_id, recurrence_local, starts_at, ends_at, cutoff_at,
         case_capacity, location, meeting_url, updated_at)
       VALUES ($1, $2, $3, ($4::timestamptz AT TIME ZONE $5), $4, $4::timestamptz + interval '90 minutes',
         $4::timestamptz - interval '48 hours', 8, 'Police HQ, room 2', $6, '2026-01-10T12:00:00Z')`,
      [dept, id, seriesId, startsAt.toISOString(), zone, meetingUrl ?? null],
    );
  }

  async function createFeed(token: string, body: unknown) {
    return fetch(`${t.url}/v1/calendar-feeds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function feedPath(token: string, body: unknown): Promise<{ id: string; path: string }> {
    const res = await createFeed(token, body);
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; path: string };
  }

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.url}${path}`, { headers });

  async function events(path: string): Promise<ParsedFeedEvent[]> {
    const res = await get(path);
    expect(res.status).toBe(200);
    return parseFeed(await res.text()).events;
  }

  beforeAll(async () => {
    t = await startConferenceTestApp('calendars');
    admin = await t.token('admin');
    coordinator = await t.token('coordinator');
    await owner().query(
      `INSERT INTO conference_settings (department_id, time_zone, updated_by) VALUES ('dept-a', $1, 'test')`,
      [NY],
    );
    await series('dept-a', hubSeries, 'hub', 'Metro HUB table', NY, [agencyY]);
    await series('dept-a', ccitSeries, 'ccit', 'North CCIT', CHICAGO, [agencyX]);
    // The same agency id in another department: none of this may reach dept-a's feeds.
    await series('dept-b', otherDeptSeries, 'clear', 'Other department CLEAR', NY, [agencyX]);
    await session('dept-a', hubBefore, hubSeries, NY, before);
    await session('dept-a', hubAfter, hubSeries, NY, after, 'https://meet.example.org/j/42');
    await session('dept-a', hubOld, hubSeries, NY, new Date(Date.now() - 120 * DAY));
    await session('dept-a', ccitSession, ccitSeries, CHICAGO, new Date(after.getTime() + DAY + 2 * HOUR));
    await session('dept-b', otherDeptSession, otherDeptSeries, NY, new Date(after.getTime() + 2 * DAY));
    // Two cases on the agenda of the session after the change, one moved away (not counted).
    for (const [nomination, status] of [
      [newId('nom'), 'scheduled'],
      [newId('nom'), 'scheduled'],
      [newId('nom'), 'moved'],
    ]) {
      await owner().query(
        `INSERT INTO agenda_item (department_id, session_id, nomination_id, position, kind, status, updated_at)
         VALUES ('dept-a', $1, $2, 1, 'new', $3, '2026-01-11T12:00:00Z')`,
        [hubAfter, nomination, status],
      );
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('serves a series feed: text/calendar, VTIMEZONE, one event per session in the window, right across DST', async () => {
    const created = await createFeed(coordinator, { scope: 'series', seriesId: hubSeries });
    expect(created.status).toBe(201);
    const feed = (await created.json()) as { id: string; token: string; path: string; url: string; scope: string };
    expect(feed.id).toMatch(/^cfd_/);
    expect(feed.path).toBe(`/v1/calendars/${feed.token}.ics`);
    expect(feed.url).toBe(`${t.url}${feed.path}`);

    const res = await get(feed.path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    const ics = await res.text();
    const parsed = parseFeed(ics);
    expect(parsed.method).toBe('PUBLISH');
    expect(parsed.name).toBe('Metro HUB table');
    expect(parsed.timeZone).toBe(NY);
    expect(parsed.vtimezones).toEqual([NY]);
    // The session 120 days ago is outside the 90-day window.
    expect(parsed.events.map((e) => e.uid)).toEqual([`${hubBefore}@cit-platform`, `${hubAfter}@cit-platform`]);
    const [a, b] = parsed.events;
    expect([a.tzid, b.tzid]).toEqual([NY, NY]);
    expect(a.startLocal.slice(11)).toBe('09:00:00');
    expect(b.startLocal.slice(11)).toBe('09:00:00');
    expect(a.start.toISOString()).toBe(before.toISOString());
    expect(b.start.toISOString()).toBe(after.toISOString());
    expect(b.end.getTime() - b.start.getTime()).toBe(90 * 60_000);
    expect(a.summary).toBe('Metro HUB table (HUB / Situation Table)');
    expect([a.status, b.status]).toEqual(['CONFIRMED', 'CONFIRMED']);
    expect(b.url).toBe('https://meet.example.org/j/42');
    expect(b.description).toBe('Cases on the agenda: 2 of 8\nMeeting link: https://meet.example.org/j/42');
    expect(a.description).toBe('Cases on the agenda: 0 of 8');
    // DTSTAMP/LAST-MODIFIED: the latest change of the session, its series and its agenda.
    expect(a.dtstamp.toISOString()).toBe('2026-01-10T12:00:00.000Z');
    expect(b.dtstamp.toISOString()).toBe('2026-01-11T12:00:00.000Z');
    expect(b.lastModified?.toISOString()).toBe('2026-01-11T12:00:00.000Z');
  });

  it('keeps UIDs across regeneration, raises SEQUENCE on a change, and answers 304 to the current ETag only', async () => {
    const { path } = await feedPath(admin, { scope: 'series', seriesId: hubSeries });
    const first = await get(path);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const [, b1] = parseFeed(await first.text()).events;
    expect(b1.sequence).toBe(0);

    const unchanged = await get(path, { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);

    // A move by an hour, as the series service records one: new time, sequence + 1, updated_at now.
    await owner().query(
      `UPDATE conference_session SET starts_at = starts_at + interval '1 hour', ends_at = ends_at + interval '1 hour',
         sequence = sequence + 1, rescheduled = true, updated_at = now() WHERE department_id = 'dept-a' AND id = $1`,
      [hubAfter],
    );
    const moved = await get(path, { 'if-none-match': etag });
    expect(moved.status).toBe(200);
    expect(moved.headers.get('etag')).not.toBe(etag);
    const [a2, b2] = parseFeed(await moved.text()).events;
    expect(b2.uid).toBe(b1.uid);
    expect(b2.sequence).toBe(1);
    expect(b2.startLocal.slice(11)).toBe('10:00:00');
    expect(b2.start.getTime()).toBe(after.getTime() + HOUR);
    expect(b2.dtstamp.getTime()).toBeGreaterThan(b1.dtstamp.getTime());
    expect(a2.sequence).toBe(0);

    await owner().query(
      `UPDATE conference_session SET starts_at = starts_at - interval '1 hour', ends_at = ends_at - interval '1 hour',
         sequence = sequence + 1, updated_at = now() WHERE department_id = 'dept-a' AND id = $1`,
      [hubAfter],
    );
  });

  it('shows a cancelled session as STATUS:CANCELLED under the same UID', async () => {
    const { path } = await feedPath(admin, { scope: 'series', seriesId: hubSeries });
    await owner().query(
      `UPDATE conference_session SET status = 'cancelled', sequence = sequence + 1, cancel_reason = 'holiday', updated_at = now()
        WHERE department_id = 'dept-a' AND id = $1`,
      [hubBefore],
    );
    try {
      const [a] = await events(path);
      expect(a.uid).toBe(`${hubBefore}@cit-platform`);
      expect(a.status).toBe('CANCELLED');
      expect(a.sequence).toBe(1);
      expect(a.description).toBe('This session is cancelled.');
    } finally {
      await owner().query(
        `UPDATE conference_session SET status = 'scheduled', sequence = sequence + 1, cancel_reason = NULL, updated_at = now()
          WHERE department_id = 'dept-a' AND id = $1`,
        [hubBefore],
      );
    }
  });

  it("gives an agency a feed of its own series only, and only its department's", async () => {
    const partner = await t.partnerToken(agencyX);
    const { path } = await feedPath(partner, { scope: 'agency', agencyId: agencyX });
    const res = await get(path);
    const parsed = parseFeed(await res.text());
    expect(parsed.events.map((e) => e.uid)).toEqual([`${ccitSession}@cit-platform`]);
    expect(parsed.events[0].tzid).toBe(CHICAGO);
    expect(parsed.events[0].summary).toBe('North CCIT (CCIT case conference)');
    // The department's zone names the calendar; the event's own zone is carried too.
    expect(parsed.timeZone).toBe(NY);
    expect(parsed.vtimezones.sort()).toEqual([CHICAGO, NY]);

    const staffMade = await feedPath(coordinator, { scope: 'agency', agencyId: agencyY });
    expect((await events(staffMade.path)).map((e) => e.uid)).toEqual([
      `${hubBefore}@cit-platform`,
      `${hubAfter}@cit-platform`,
    ]);

    // Dept-b's feed for the same agency id sees dept-b's series only.
    const otherPartner = await t.partnerToken(agencyX, 'dept-b');
    const other = await feedPath(otherPartner, { scope: 'agency', agencyId: agencyX });
    expect((await events(other.path)).map((e) => e.uid)).toEqual([`${otherDeptSession}@cit-platform`]);
  });

  it('lets a partner manage only its own agency feeds', async () => {
    const partner = await t.partnerToken(agencyX);
    const forbidden = [
      { scope: 'agency', agencyId: agencyY },
      { scope: 'series', seriesId: ccitSeries },
    ];
    for (const body of forbidden) {
      const res = await createFeed(partner, body);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const staffFeed = await feedPath(coordinator, { scope: 'agency', agencyId: agencyY });
    const list = (await (
      await fetch(`${t.url}/v1/calendar-feeds`, { headers: { authorization: `Bearer ${partner}` } })
    ).json()) as { items: Array<Record<string, unknown>> };
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((f) => f.agencyId === agencyX && f.scope === 'agency')).toBe(true);
    // Another agency's feed is not there for this partner.
    const del = await fetch(`${t.url}/v1/calendar-feeds/${staffFeed.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${partner}` },
    });
    expect(del.status).toBe(404);
    expect((await get(staffFeed.path)).status).toBe(200);
  });

  it('lists feeds without their tokens', async () => {
    const made = (await (await createFeed(admin, { scope: 'series', seriesId: ccitSeries })).json()) as {
      id: string;
      token: string;
    };
    const res = await fetch(`${t.url}/v1/calendar-feeds`, { headers: { authorization: `Bearer ${coordinator}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(made.token);
    const { items } = JSON.parse(text) as { items: Array<Record<string, unknown>> };
    expect(items.find((f) => f.id === made.id)).toEqual({
      id: made.id,
      scope: 'series',
      seriesId: ccitSeries,
      createdAt: expect.any(String),
      createdBy: expect.any(String),
    });
    // Only the hash is stored.
    const [row] = (await owner().query(`SELECT token_hash FROM calendar_feed WHERE id = $1`, [made.id])) as Array<{
      token_hash: Buffer;
    }>;
    expect(row.token_hash).toHaveLength(32);
    expect(row.token_hash.toString('utf8')).not.toContain(made.token);
  });

  it('stops serving a revoked feed at once', async () => {
    const { id, path } = await feedPath(coordinator, { scope: 'series', seriesId: hubSeries });
    expect((await get(path)).status).toBe(200);
    const del = await fetch(`${t.url}/v1/calendar-feeds/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(del.status).toBe(204);
    const gone = await get(path);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toContain('application/problem+json');
    const again = await fetch(`${t.url}/v1/calendar-feeds/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(again.status).toBe(404);
    const list = (await (
      await fetch(`${t.url}/v1/calendar-feeds`, { headers: { authorization: `Bearer ${coordinator}` } })
    ).json()) as { items: Array<{ id: string }> };
    expect(list.items.map((f) => f.id)).not.toContain(id);
  });

  it('answers 404 alike to a malformed and an unknown token, without echoing it', async () => {
    const unknown = 'A'.repeat(43);
    for (const token of [unknown, 'short', `${'b'.repeat(42)}%2F`, `${'c'.repeat(43)}x`]) {
      const res = await get(`/v1/calendars/${token}.ics`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const text = await res.text();
      expect(text).not.toContain(token.slice(0, 20));
      const body = JSON.parse(text) as { detail: string; instance: string };
      expect(body.detail).toBe('No calendar feed has this address.');
      expect(body.instance).toBe('/v1/calendars/{token}.ics');
    }
  });

  it('refuses bad input with problem+json naming the field, storing nothing', async () => {
    const before = (await owner().query(`SELECT count(*)::int AS n FROM calendar_feed`)) as Array<{ n: number }>;
    const cases: Array<[unknown, string]> = [
      [{}, 'scope'],
      [{ scope: 'weekly' }, 'scope'],
      [{ scope: 'series' }, 'seriesId'],
      [{ scope: 'series', seriesId: 'ser_nope' }, 'seriesId'],
      [{ scope: 'series', seriesId: newId('ser') }, 'seriesId'],
      [{ scope: 'agency', agencyId: 'unknown-agency' }, 'agencyId'],
      [{ scope: 'agency', agencyId: agencyX, seriesId: hubSeries }, 'seriesId'],
    ];
    for (const [body, field] of cases) {
      const res = await createFeed(admin, body);
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { errors: Array<{ field: string }> };
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
    const officer = await createFeed(await t.token('officer'), { scope: 'series', seriesId: hubSeries });
    expect(officer.status).toBe(403);
    const after = (await owner().query(`SELECT count(*)::int AS n FROM calendar_feed`)) as Array<{ n: number }>;
    expect(after[0].n).toBe(before[0].n);
  });

  it('holds row-level security: the token scope opens calendar_feed alone, and nothing without a tenant', async () => {
    const runtime = t.db.dataSource;
    expect(await runtime.query(`SELECT id FROM calendar_feed`)).toEqual([]);
    const seen = await runtime.transaction(async (em) => {
      await em.query(`SELECT set_config('app.system_scope', 'conference-feed-token', true)`);
      const feeds = (await em.query(`SELECT count(*)::int AS n FROM calendar_feed`)) as Array<{ n: number }>;
      const sessions = (await em.query(`SELECT count(*)::int AS n FROM conference_session`)) as Array<{ n: number }>;
      const seriesRows = (await em.query(`SELECT count(*)::int AS n FROM conference_series`)) as Array<{ n: number }>;
      return { feeds: feeds[0].n, sessions: sessions[0].n, series: seriesRows[0].n };
    });
    expect(seen.feeds).toBeGreaterThan(0);
    expect(seen).toMatchObject({ sessions: 0, series: 0 });
  });

  it('carries no person data: counts only, whatever the agenda holds', async () => {
    const { path } = await feedPath(coordinator, { scope: 'agency', agencyId: agencyY });
    const res = await get(path);
    const ics = await res.text();
    const onAgenda = (await owner().query(
      `SELECT nomination_id FROM agenda_item WHERE department_id = 'dept-a'`,
    )) as Array<{ nomination_id: string }>;
    expect(onAgenda.length).toBe(3);
    for (const { nomination_id } of onAgenda) expect(ics).not.toContain(nomination_id);
    const allowed = new Set([
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
    ]);
    for (const e of parseFeed(ics).events) for (const p of e.properties) expect(allowed.has(p)).toBe(true);
    expect(ics).not.toContain('holiday');
  });

  it('caps the active feeds of one target, and a revoked one frees its place', async () => {
    const partner = await t.partnerToken(agencyY);
    const active = async () =>
      (
        (await owner().query(
          `SELECT count(*)::int AS n FROM calendar_feed WHERE agency_id = $1 AND revoked_at IS NULL`,
          [agencyY],
        )) as Array<{ n: number }>
      )[0].n;
    const made: string[] = [];
    while ((await active()) < MAX_ACTIVE_FEEDS_PER_TARGET)
      made.push((await feedPath(partner, { scope: 'agency', agencyId: agencyY })).id);
    const refused = await createFeed(partner, { scope: 'agency', agencyId: agencyY });
    expect(refused.status).toBe(409);
    expect(await active()).toBe(MAX_ACTIVE_FEEDS_PER_TARGET);
    const del = await fetch(`${t.url}/v1/calendar-feeds/${made[0]}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${partner}` },
    });
    expect(del.status).toBe(204);
    expect((await createFeed(partner, { scope: 'agency', agencyId: agencyY })).status).toBe(201);
    // Another target is not affected.
    expect((await createFeed(admin, { scope: 'series', seriesId: hubSeries })).status).toBe(201);
  });

  it('documents the routes at /docs', async () => {
    const doc = (await (await fetch(`${t.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/v1/calendar-feeds'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/v1/calendar-feeds/{id}'] ?? {})).toEqual(['delete']);
    expect(Object.keys(doc.paths['/v1/calendars/{token}.ics'] ?? {})).toEqual(['get']);
  });
});
