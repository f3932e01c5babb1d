import request from 'supertest';
import { tenantTransaction } from '@cit/persistence';
import { ProblemType } from '@cit/service-kit';
import { AgendaScheduler } from '../agenda/agenda-scheduler';
import { MouChangedHandler } from '../agencies/mou-changed/mou-changed.handler';
import { SETTINGS_MISSING_PROBLEM, SETTINGS_VERSION_PROBLEM } from '../settings/settings.problems';
import { startConferenceTestApp, type ConferenceTestApp } from '../testing/conference-test-app';
import { SessionHorizonJob } from './horizon/session-horizon.job';
import { SessionHorizonService } from './horizon/session-horizon.service';
import { SERIES_VERSION_PROBLEM, SESSION_CANCELLED_PROBLEM, SESSION_PAST_PROBLEM } from './series.problems';

jest.setTimeout(120_000);

const job = (t: ConferenceTestApp) => t.app.get(SessionHorizonJob);

const SESSION_EVENT = 'cit.conference.session-scheduled.v1';

describe('series and sessions (real PostgreSQL under RLS, broker, outbox)', () => {
  let t: ConferenceTestApp;
  const tokens: Record<string, string> = {};
  const http = () => request(t.url);
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  let chair: string;
  let member: string;
  let outsider: string;

  const mou = (
    agencyId: string,
    revision: number,
    status: 'active' | 'suspended' | 'terminated',
    expiresOn: string,
  ) => ({
    mouId: `mou-${agencyId}`,
    agencyId,
    status,
    effectiveFrom: '2026-01-01',
    expiresOn,
    revision,
  });

  async function counts() {
    const [row] = (await t.db.ownerDataSource.query(
      `SELECT (SELECT count(*)::int FROM conference_series) AS series,
              (SELECT count(*)::int FROM conference_session) AS sessions,
              (SELECT count(*)::int FROM conference_series_member) AS members,
              (SELECT count(*)::int FROM outbox) AS events,
              (SELECT coalesce(max(version), 0)::int FROM conference_series) AS versions,
              (SELECT coalesce(sum(sequence), 0)::int FROM conference_session) AS sequences`,
    )) as Record<string, number>[];
    return row;
  }

  const weeklyHub = (over: Record<string, unknown> = {}) => ({
    kind: 'hub',
    title: 'Eastside HUB table',
    rrule: 'FREQ=WEEKLY;BYDAY=TU',
    firstOccurrence: '2026-11-03T10:00',
    durationMinutes: 90,
    location: 'Precinct 4, room 2',
    members: [
      { agencyId: chair, role: 'chair' },
      { agencyId: member, role: 'member' },
    ],
    caseCapacity: 6,
    nominationCutoffHours: 48,
    ...over,
  });

  beforeAll(async () => {
    t = await startConferenceTestApp('conf_series', { consume: true });
    chair = `metro-crisis-${t.run}`;
    member = `harbor-recovery-${t.run}`;
    outsider = `northside-housing-${t.run}`;
    for (const [who, role, dept] of [
      ['admin', 'admin', 'dept-a'],
      ['coordinator', 'coordinator', 'dept-a'],
      ['officer', 'officer', 'dept-a'],
      ['adminB', 'admin', 'dept-b'],
    ] as const)
      tokens[who] = await t.token(role, dept);
    tokens.chair = await t.partnerToken(chair);
    tokens.member = await t.partnerToken(member);
    tokens.outsider = await t.partnerToken(outsider);
  });
  afterAll(() => t?.close());

  it('settings: admin saves them versioned, a stale version is a 409 naming the current one, a bad zone changes nothing', async () => {
    const missing = await http().get('/v1/settings').set(as('admin')).expect(404);
    expect(missing.body.type).toBe(SETTINGS_MISSING_PROBLEM);

    const badZone = await http()
      .put('/v1/settings')
      .set(as('admin'))
      .send({ timeZone: 'Mars/Olympus_Mons', horizonWeeks: 20, expectedVersion: 0 })
      .expect(400);
    expect(badZone.headers['content-type']).toContain('application/problem+json');
    expect(badZone.body.errors).toEqual([{ field: 'timeZone', detail: expect.stringContaining('IANA') }]);
    await http().get('/v1/settings').set(as('admin')).expect(404);

    const saved = await http()
      .put('/v1/settings')
      .set(as('admin'))
      .send({ timeZone: 'America/New_York', horizonWeeks: 20, familyFormEnabled: true, expectedVersion: 0 })
      .expect(200);
    expect(saved.body).toMatchObject({
      timeZone: 'America/New_York',
      horizonWeeks: 20,
      familyFormEnabled: true,
      version: 1,
    });

    const stale = await http()
      .put('/v1/settings')
      .set(as('admin'))
      .send({ timeZone: 'Europe/Berlin', horizonWeeks: 20, expectedVersion: 0 })
      .expect(409);
    expect(stale.body.type).toBe(SETTINGS_VERSION_PROBLEM);
    expect(stale.body.detail).toContain('version 1');
    expect((await http().get('/v1/settings').set(as('coordinator')).expect(200)).body).toMatchObject({
      timeZone: 'America/New_York',
      version: 1,
    });
    await http().put('/v1/settings').set(as('coordinator')).send({ timeZone: 'UTC', expectedVersion: 1 }).expect(403);
  });

  it('a department without settings cannot create a series', async () => {
    const res = await http().post('/v1/series').set(as('adminB')).send(weeklyHub()).expect(409);
    expect(res.body.type).toBe(SETTINGS_MISSING_PROBLEM);
    expect(res.body.detail).toContain('PUT /v1/settings');
  });

  it('projects mou-changed from the broker into member agencies, keeping the highest revision', async () => {
    await t.publish('cit.referral.mou-changed.v1', `mou-${chair}`, mou(chair, 2, 'active', '2099-12-31'));
    await t.publish('cit.referral.mou-changed.v1', `mou-${member}`, mou(member, 1, 'active', '2099-12-31'));
    await t.publish('cit.referral.mou-changed.v1', `mou-${outsider}`, mou(outsider, 3, 'active', '2099-12-31'));
    // An older revision arriving late changes nothing.
    await t.publish('cit.referral.mou-changed.v1', `mou-${chair}`, mou(chair, 1, 'terminated', '2026-01-31'));
    const deadline = Date.now() + 60_000;
    let rows: { agency_id: string; revision: number }[] = [];
    while (Date.now() < deadline) {
      rows = await t.db.ownerDataSource.query(`SELECT agency_id, revision FROM conference_agency ORDER BY agency_id`);
      const inbox = await t.db.ownerDataSource.query(`SELECT count(*)::int AS n FROM inbox`);
      if (rows.length === 3 && inbox[0].n >= 4) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(rows.find((r) => r.agency_id === chair)?.revision).toBe(2);

    // Through the handler directly: a newer revision suspends, an expired one no longer may receive identity.
    await t.deliver(
      MouChangedHandler,
      'cit.referral.mou-changed.v1',
      `mou-${member}`,
      mou(member, 2, 'suspended', '2099-12-31'),
    );
    await t.deliver(
      MouChangedHandler,
      'cit.referral.mou-changed.v1',
      `mou-${member}`,
      mou(member, 1, 'active', '2099-12-31'),
    );
    const expiredAgency = `expired-${t.run}`;
    await t.deliver(
      MouChangedHandler,
      'cit.referral.mou-changed.v1',
      `mou-${expiredAgency}`,
      mou(expiredAgency, 1, 'active', '2026-01-31'),
    );
    const list = await http().get('/v1/agencies').set(as('coordinator')).expect(200);
    const byId = Object.fromEntries(
      (list.body.items as { agencyId: string; mayReceiveIdentity: boolean }[]).map((a) => [a.agencyId, a]),
    );
    expect(byId[chair]).toMatchObject({ mayReceiveIdentity: true, mous: [{ status: 'active', revision: 2 }] });
    expect(byId[member]).toMatchObject({ mayReceiveIdentity: false, mous: [{ status: 'suspended', revision: 2 }] });
    expect(byId[expiredAgency]).toMatchObject({ mayReceiveIdentity: false });
    await http().get('/v1/agencies').set(as('chair')).expect(403);
    // Restore the member's MOU for the tests below.
    await t.deliver(
      MouChangedHandler,
      'cit.referral.mou-changed.v1',
      `mou-${member}`,
      mou(member, 3, 'active', '2099-12-31'),
    );
  });

  it('bad input (invalid RRULE, unknown zone, unknown agency, capacity, no chair) is problem+json naming the field; nothing changes', async () => {
    const before = await counts();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ rrule: 'FREQ=HOURLY' }, 'rrule', 'FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY'],
      [{ rrule: 'FREQ=WEEKLY;BYDAY=TU;FOO=1' }, 'rrule', 'unknown rule part FOO'],
      [{ rrule: 'DTSTART:20261103T100000\nRRULE:FREQ=WEEKLY' }, 'rrule', 'one RRULE line'],
      [{ rrule: 'FREQ=WEEKLY;TZID=America/New_York' }, 'rrule', 'TZID'],
      [{ rrule: 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6' }, 'rrule', 'no occurrence within 2 years'],
      [{ timeZone: 'America/Springfield' }, 'timeZone', 'IANA'],
      [{ firstOccurrence: '2026-02-30T10:00' }, 'firstOccurrence', 'local date-time'],
      [
        {
          members: [
            { agencyId: chair, role: 'chair' },
            { agencyId: 'nobody-knows-us', role: 'member' },
          ],
        },
        'members.1.agencyId',
        'unknown agency',
      ],
      [{ members: [{ agencyId: member, role: 'member' }] }, 'members', 'chair'],
      [{ caseCapacity: 0 }, 'caseCapacity', 'at least 1'],
      [{ location: undefined }, 'location', 'meetingUrl'],
    ];
    for (const [over, field, detail] of cases) {
      const res = await http().post('/v1/series').set(as('admin')).send(weeklyHub(over));
      expect({ status: res.status, over }).toEqual({ status: 400, over });
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.type).toBe(ProblemType.validation);
      expect(res.body.errors).toEqual(expect.arrayContaining([{ field, detail: expect.stringContaining(detail) }]));
    }
    await http().post('/v1/series').set(as('coordinator')).send(weeklyHub()).expect(403);
    expect(await counts()).toEqual(before);
  });

  it('a weekly series keeps 10:00 local across both New York DST changes; the horizon is idempotent', async () => {
    const created = await http()
      .post('/v1/series')
      .set(as('admin'))
      .send(weeklyHub({ rrule: 'FREQ=WEEKLY;BYDAY=SU', firstOccurrence: '2026-10-25T10:00', kind: 'ccit' }))
      .expect(201);
    expect(created.body).toMatchObject({ timeZone: 'America/New_York', version: 1, status: 'active' });
    const id = created.body.id as string;
    const job = t.app.get(SessionHorizonJob);
    // A pass as of 2026-10-20 (20-week horizon) covers the fall-back and the spring-forward Sundays.
    const first = await job.runOnce(new Date('2026-10-20T12:00:00Z'));
    expect(first.ran).toBe(true);
    const rows = (await t.db.ownerDataSource.query(
      `SELECT count(*)::int AS n FROM conference_session WHERE series_id = $1`,
      [id],
    )) as { n: number }[];
    const again = await job.runOnce(new Date('2026-10-20T12:00:00Z'));
    expect(again).toMatchObject({ ran: true, created: 0 });
    const after = (await t.db.ownerDataSource.query(
      `SELECT count(*)::int AS n FROM conference_session WHERE series_id = $1`,
      [id],
    )) as { n: number }[];
    expect(after[0]!.n).toBe(rows[0]!.n);

    const page = await http()
      .get(`/v1/series/${id}/sessions`)
      .query({ from: '2026-10-24T00:00:00Z', to: '2027-03-22T00:00:00Z', limit: 200 })
      .set(as('officer'))
      .expect(200);
    const byDay = Object.fromEntries(
      (page.body.items as { recurrenceId: string; startsAt: string }[]).map((s) => [s.recurrenceId.slice(0, 10), s]),
    );
    expect(byDay['2026-10-25']).toMatchObject({
      recurrenceId: '2026-10-25T10:00:00',
      startsAt: '2026-10-25T10:00:00-04:00',
    });
    expect(byDay['2026-11-01']).toMatchObject({
      recurrenceId: '2026-11-01T10:00:00',
      startsAt: '2026-11-01T10:00:00-05:00',
    });
    expect(byDay['2027-03-07']).toMatchObject({ startsAt: '2027-03-07T10:00:00-05:00' });
    expect(byDay['2027-03-14']).toMatchObject({
      recurrenceId: '2027-03-14T10:00:00',
      startsAt: '2027-03-14T10:00:00-04:00',
    });
    const utc = (await t.db.ownerDataSource.query(
      `SELECT to_char(recurrence_local, 'YYYY-MM-DD') AS day, starts_at FROM conference_session
        WHERE series_id = $1 AND recurrence_local::date IN ('2026-10-25', '2026-11-01', '2027-03-07', '2027-03-14')
        ORDER BY starts_at`,
      [id],
    )) as { day: string; starts_at: Date }[];
    expect(utc.map((r) => [r.day, r.starts_at.toISOString()])).toEqual([
      ['2026-10-25', '2026-10-25T14:00:00.000Z'],
      ['2026-11-01', '2026-11-01T15:00:00.000Z'],
      ['2027-03-07', '2027-03-07T15:00:00.000Z'],
      ['2027-03-14', '2027-03-14T14:00:00.000Z'],
    ]);

    // Paging: a cursor walks the same list in small pages.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await http()
        .get(`/v1/series/${id}/sessions`)
        .query({ from: '2026-10-24T00:00:00Z', to: '2027-03-22T00:00:00Z', limit: 7, ...(cursor ? { cursor } : {}) })
        .set(as('officer'))
        .expect(200);
      seen.push(...(res.body.items as { id: string }[]).map((s) => s.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual((page.body.items as { id: string }[]).map((s) => s.id));
  });

  it('concurrent horizon runs create each session once', async () => {
    const created = await http()
      .post('/v1/series')
      .set(as('admin'))
      .send(weeklyHub({ rrule: 'FREQ=DAILY', firstOccurrence: '2026-10-01T08:00', kind: 'clear' }))
      .expect(201);
    const id = created.body.id as string;
    const horizon = t.app.get(SessionHorizonService);
    const at = new Date('2026-10-01T00:00:00Z');
    const run = () =>
      tenantTransaction(t.db.dataSource, 'dept-a', (em) =>
        horizon.extendDepartment(em, { departmentId: 'dept-a', correlationId: `test-${t.run}` }, at),
      );
    await Promise.all([run(), run(), run()]);
    const [dupes] = (await t.db.ownerDataSource.query(
      `SELECT count(*)::int AS n, count(DISTINCT recurrence_local)::int AS distinct_n FROM conference_session WHERE series_id = $1`,
      [id],
    )) as { n: number; distinct_n: number }[];
    expect(dupes!.n).toBe(dupes!.distinct_n);
    expect(dupes!.n).toBeGreaterThanOrEqual(140);
    const events = (await t.outbox(SESSION_EVENT)).filter((e) => e.data.seriesId === id);
    expect(events).toHaveLength(dupes!.n);

    // Ending it cancels its future sessions (events, sequence + 1) and freezes it; past ones stay.
    const ended = await http()
      .post(`/v1/series/${id}/end`)
      .set(as('admin'))
      .send({ reason: 'merged into CCIT' })
      .expect(200);
    expect(ended.body).toMatchObject({ status: 'ended', version: 2 });
    const states = (await t.db.ownerDataSource.query(
      `SELECT starts_at > now() AS future, status, cancel_reason, sequence, count(*)::int AS n FROM conference_session
        WHERE series_id = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1`,
      [id],
    )) as { future: boolean; status: string; cancel_reason: string | null; sequence: number; n: number }[];
    expect(states.filter((r) => r.future)).toEqual([
      {
        future: true,
        status: 'cancelled',
        cancel_reason: 'merged into CCIT',
        sequence: 1,
        n: ended.body.sessionsCancelled,
      },
    ]);
    expect(states.filter((r) => !r.future).every((r) => r.status === 'scheduled' && r.sequence === 0)).toBe(true);
    const cancelledEvents = (await t.outbox(SESSION_EVENT)).filter(
      (e) => e.data.seriesId === id && e.data.status === 'cancelled',
    );
    expect(cancelledEvents).toHaveLength(ended.body.sessionsCancelled);
    await http().post(`/v1/series/${id}/end`).set(as('admin')).send({}).expect(409);
    await http().patch(`/v1/series/${id}`).set(as('admin')).send({ expectedVersion: 2, caseCapacity: 2 }).expect(409);
    expect(await job(t).runOnce()).toMatchObject({ ran: true });
    const [after] = (await t.db.ownerDataSource.query(
      `SELECT count(*)::int AS n FROM conference_session WHERE series_id = $1`,
      [id],
    )) as { n: number }[];
    expect(after!.n).toBe(dupes!.n);
  });

  it('cancel and reschedule raise the sequence, write their events, and refuse past or cancelled sessions', async () => {
    const created = await http().post('/v1/series').set(as('admin')).send(weeklyHub()).expect(201);
    const id = created.body.id as string;
    const page = await http()
      .get(`/v1/series/${id}/sessions`)
      .query({ from: new Date().toISOString() })
      .set(as('coordinator'))
      .expect(200);
    const [a, b, c] = page.body.items as { id: string; startsAt: string; sequence: number; recurrenceId: string }[];
    expect(a!.sequence).toBe(0);
    const scheduler = t.app.get(AgendaScheduler);
    const withdrawn = jest.spyOn(scheduler, 'sessionWithdrawn');
    const placed = jest.spyOn(scheduler, 'placeOpenNominations');

    const cancelled = await http()
      .post(`/v1/sessions/${a!.id}/cancel`)
      .set(as('coordinator'))
      .send({ reason: 'holiday', expectedSequence: 0 })
      .expect(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      sequence: 1,
      cancelReason: 'holiday',
      eventStatus: 'cancelled',
    });
    // Its cases move, in the cancel's transaction.
    expect(withdrawn).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ departmentId: 'dept-a' }),
      a!.id,
    );
    withdrawn.mockRestore();
    const again = await http()
      .post(`/v1/sessions/${a!.id}/cancel`)
      .set(as('coordinator'))
      .send({ reason: 'holiday' })
      .expect(409);
    expect(again.body).toMatchObject({ type: SESSION_CANCELLED_PROBLEM, allowed: [] });
    await http()
      .post(`/v1/sessions/${a!.id}/reschedule`)
      .set(as('coordinator'))
      .send({ startsAt: '2027-06-01T10:00' })
      .expect(409);

    // Moved to 14:30 the next day, an hour longer, online.
    const day = b!.recurrenceId.slice(0, 10);
    const next = new Date(`${day}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const nextDay = next.toISOString().slice(0, 10);
    const moved = await http()
      .post(`/v1/sessions/${b!.id}/reschedule`)
      .set(as('coordinator'))
      .send({
        startsAt: `${nextDay}T14:30`,
        durationMinutes: 150,
        meetingUrl: 'https://meet.example.org/hub',
        expectedSequence: 0,
      })
      .expect(200);
    expect(moved.body).toMatchObject({
      status: 'scheduled',
      eventStatus: 'rescheduled',
      rescheduled: true,
      sequence: 1,
      recurrenceId: b!.recurrenceId,
      meetingUrl: 'https://meet.example.org/hub',
      location: 'Precinct 4, room 2',
    });
    expect(placed).toHaveBeenCalled();
    placed.mockRestore();
    expect(moved.body.startsAt).toMatch(new RegExp(`^${nextDay}T14:30:00-0[45]:00$`));
    const startsAt = new Date(moved.body.startsAt as string).getTime();
    expect(new Date(moved.body.endsAt as string).getTime() - startsAt).toBe(150 * 60_000);
    expect(startsAt - new Date(moved.body.cutoffAt as string).getTime()).toBe(48 * 3_600_000);

    const events = (await t.outbox(SESSION_EVENT)).filter((e) => e.data.seriesId === id);
    expect(events.filter((e) => e.subject === a!.id).map((e) => [e.data.status, e.data.sequence])).toEqual([
      ['scheduled', 0],
      ['cancelled', 1],
    ]);
    expect(events.filter((e) => e.subject === b!.id).map((e) => [e.data.status, e.data.sequence])).toEqual([
      ['scheduled', 0],
      ['rescheduled', 1],
    ]);
    expect(events.find((e) => e.subject === b!.id && e.data.sequence === 1)?.data).toMatchObject({
      seriesKind: 'hub',
      memberAgencyIds: [chair, member],
      caseCapacity: 6,
    });

    // The relay delivers them to the broker.
    const sink = await t.collect('cit.conference.v1');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !sink.messages.some((m) => m.key === b!.id && m.value.includes('"rescheduled"'))) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(sink.messages.some((m) => m.key === b!.id && m.value.includes('"rescheduled"'))).toBe(true);

    // A session that has started cannot change.
    await t.db.ownerDataSource.query(
      `UPDATE conference_session SET starts_at = now() - interval '1 hour', ends_at = now() + interval '1 hour',
         cutoff_at = now() - interval '49 hours' WHERE id = $1`,
      [c!.id],
    );
    const before = await counts();
    const past = await http()
      .post(`/v1/sessions/${c!.id}/cancel`)
      .set(as('coordinator'))
      .send({ reason: 'x' })
      .expect(409);
    expect(past.body.type).toBe(SESSION_PAST_PROBLEM);
    await http()
      .post(`/v1/sessions/${c!.id}/reschedule`)
      .set(as('coordinator'))
      .send({ startsAt: '2027-06-01T10:00' })
      .expect(409);
    // A new start in the past is refused naming startsAt.
    const bad = await http()
      .post(`/v1/sessions/${b!.id}/reschedule`)
      .set(as('coordinator'))
      .send({ startsAt: '2020-01-07T10:00' })
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'startsAt', detail: 'must be in the future' }]);
    expect(await counts()).toEqual(before);
    await http().post(`/v1/sessions/${b!.id}/cancel`).set(as('officer')).send({ reason: 'x' }).expect(403);
  });

  it('editing the RRULE cancels vanished occurrences, updates changed ones and raises their sequence; a stale version changes nothing', async () => {
    const created = await http()
      .post('/v1/series')
      .set(as('admin'))
      .send(weeklyHub({ title: 'PATCH me' }))
      .expect(201);
    const id = created.body.id as string;
    const list = async () =>
      (await http().get(`/v1/series/${id}/sessions`).query({ limit: 200 }).set(as('admin')).expect(200)).body.items as {
        id: string;
        status: string;
        sequence: number;
        startsAt: string;
        recurrenceId: string;
        caseCapacity: number;
      }[];
    const before = await list();
    const future = before.filter((s) => new Date(s.startsAt) > new Date());

    const stale = await http()
      .patch(`/v1/series/${id}`)
      .set(as('admin'))
      .send({ expectedVersion: 7, caseCapacity: 3 })
      .expect(409);
    expect(stale.body.type).toBe(SERIES_VERSION_PROBLEM);
    expect(stale.body.detail).toContain('version 1');
    const badRule = await http()
      .patch(`/v1/series/${id}`)
      .set(as('admin'))
      .send({ expectedVersion: 1, rrule: 'FREQ=MINUTELY' })
      .expect(400);
    expect(badRule.body.errors[0]).toMatchObject({ field: 'rrule', detail: expect.stringContaining('FREQ') });
    expect(await list()).toEqual(before);

    // Every other Tuesday from the first occurrence, 11:00 instead of 10:00, capacity 4.
    const patched = await http()
      .patch(`/v1/series/${id}`)
      .set(as('admin'))
      .send({
        expectedVersion: 1,
        rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU',
        firstOccurrence: '2026-11-03T11:00',
        caseCapacity: 4,
      })
      .expect(200);
    expect(patched.body).toMatchObject({ version: 2, rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', caseCapacity: 4 });
    const after = await list();
    const byId = new Map(after.map((s) => [s.id, s]));
    const kept = future.filter((s) => byId.get(s.id)?.status === 'scheduled');
    const dropped = future.filter((s) => byId.get(s.id)?.status === 'cancelled');
    expect(kept.length).toBeGreaterThan(0);
    expect(dropped.length).toBeGreaterThan(0);
    expect(Math.abs(kept.length - dropped.length)).toBeLessThanOrEqual(1);
    for (const s of kept) {
      expect(byId.get(s.id)).toMatchObject({
        sequence: 1,
        caseCapacity: 4,
        recurrenceId: `${s.recurrenceId.slice(0, 10)}T11:00:00`,
      });
    }
    for (const s of dropped) expect(byId.get(s.id)).toMatchObject({ sequence: 1, status: 'cancelled' });
    expect(patched.body.sessionsChanged.cancelled.sort()).toEqual(dropped.map((s) => s.id).sort());

    const events = (await t.outbox(SESSION_EVENT)).filter((e) => e.data.seriesId === id && e.data.sequence === 1);
    expect(events).toHaveLength(kept.length + dropped.length);

    // A members-only edit is a change of every future session too.
    const membersOnly = await http()
      .patch(`/v1/series/${id}`)
      .set(as('admin'))
      .send({
        expectedVersion: 2,
        members: [
          { agencyId: chair, role: 'chair' },
          { agencyId: member, role: 'member' },
          { agencyId: outsider, role: 'member' },
        ],
      })
      .expect(200);
    expect(membersOnly.body.sessionsChanged.updated.sort()).toEqual(kept.map((s) => s.id).sort());
    const latest = (await t.outbox(SESSION_EVENT)).filter((e) => e.data.seriesId === id && e.data.sequence === 2);
    expect(latest.every((e) => (e.data.memberAgencyIds as string[]).includes(outsider))).toBe(true);
  });

  it('a partner sees only the series (and sessions) its agency is a member of; others are 404', async () => {
    const withOutsider = await http()
      .post('/v1/series')
      .set(as('admin'))
      .send(
        weeklyHub({
          kind: 'stakeholder',
          title: 'Housing stakeholders',
          caseCapacity: 0,
          members: [{ agencyId: outsider, role: 'chair' }],
        }),
      )
      .expect(201);
    const mine = await http().get('/v1/series').set(as('outsider')).expect(200);
    const ids = (mine.body.items as { id: string }[]).map((s) => s.id);
    expect(ids).toContain(withOutsider.body.id);
    const memberView = await http().get('/v1/series').set(as('member')).expect(200);
    expect((memberView.body.items as { id: string }[]).map((s) => s.id)).not.toContain(withOutsider.body.id);
    await http().get(`/v1/series/${withOutsider.body.id}`).set(as('member')).expect(404);
    await http().get(`/v1/series/${withOutsider.body.id}/sessions`).set(as('member')).expect(404);
    const sessions = await http().get(`/v1/series/${withOutsider.body.id}/sessions`).set(as('outsider')).expect(200);
    const sessionId = (sessions.body.items as { id: string }[])[0]!.id;
    expect((await http().get(`/v1/sessions/${sessionId}`).set(as('outsider')).expect(200)).body).toMatchObject({
      seriesKind: 'stakeholder',
      caseCapacity: 0,
    });
    await http().get(`/v1/sessions/${sessionId}`).set(as('member')).expect(404);
    await http().post(`/v1/sessions/${sessionId}/cancel`).set(as('outsider')).send({ reason: 'x' }).expect(403);
    // Another department sees nothing of this one.
    await http().get(`/v1/series/${withOutsider.body.id}`).set(as('adminB')).expect(404);
  });

  it('documents its routes at /docs-json', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    for (const [path, method] of [
      ['/v1/settings', 'put'],
      ['/v1/agencies', 'get'],
      ['/v1/series', 'post'],
      ['/v1/series/{id}', 'patch'],
      ['/v1/series/{id}/end', 'post'],
      ['/v1/series/{id}/sessions', 'get'],
      ['/v1/sessions/{id}', 'get'],
      ['/v1/sessions/{id}/cancel', 'post'],
      ['/v1/sessions/{id}/reschedule', 'post'],
    ] as const) {
      expect({ path, method, documented: Boolean(doc.paths[path]?.[method]) }).toEqual({
        path,
        method,
        documented: true,
      });
    }
  });
});
