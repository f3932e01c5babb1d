import { FieldCipher, tenantTransaction } from '@cit/persistence';
import request from 'supertest';
import { startConferenceTestApp, type ConferenceTestApp } from '../testing/conference-test-app';
import { AgendaScheduler } from './agenda-scheduler';
import { AgendaSweepService } from './agenda-sweep/agenda-sweep.service';
import { AgendaFixtures } from './testing/agenda-fixtures';

// The agenda on the real database (runtime role under RLS) and the outbox: slotting by risk,
// capacity and cutoff, overflow carried over, cancelled sessions' cases moved, the sweep, and
// what each member agency sees on the agenda.
describe('conference agenda', () => {
  let t: ConferenceTestApp;
  let departments = 0;
  const http = () => request(t.url);

  beforeAll(async () => {
    // Tests drive the sweep themselves.
    process.env.CONFERENCE_AGENDA_SWEEP_INTERVAL_MS = '0';
    t = await startConferenceTestApp('conference_agenda');
  });
  afterAll(() => t?.close());

  /** Each test in a department of its own: fixtures, tokens and events stay apart. */
  const department = () => {
    const dept = `dept-agenda-${++departments}-${t.run}`;
    return { dept, fx: new AgendaFixtures(t.db.ownerDataSource, dept) };
  };
  const place = (dept: string) =>
    tenantTransaction(t.db.dataSource, dept, (em) =>
      t.app.get(AgendaScheduler).placeOpenNominations(em, { departmentId: dept, correlationId: `cor-${t.run}` }),
    );
  const scheduledEvents = async (dept: string) =>
    (await t.outbox('cit.conference.case-scheduled.v1')).filter((e) => e.departmentId === dept).map((e) => e.data);
  const ids = (rows: Array<{ nomination_id: string }>) => rows.map((r) => r.nomination_id);

  it('places highest risk first; the overflow of a full session carries over to the next', async () => {
    const { dept, fx } = department();
    const series = await fx.series({ capacity: 2 });
    const s1 = await fx.session(series, 7);
    const s2 = await fx.session(series, 14);
    const routine = await fx.nomination('routine', { ageHours: 50 });
    const urgent = await fx.nomination('urgent', { ageHours: 2 });
    const imminent = await fx.nomination('imminent', { ageHours: 1 });
    const olderUrgent = await fx.nomination('urgent', { ageHours: 30 });
    const none = await fx.nomination('none', { ageHours: 80 });

    expect(await place(dept)).toEqual({ placed: 4, unplaced: 1 });
    expect(ids(await fx.agenda(s1))).toEqual([imminent, olderUrgent]);
    expect(ids(await fx.agenda(s2))).toEqual([urgent, routine]);
    const events = await scheduledEvents(dept);
    expect(events).toHaveLength(4);
    expect(events[0]).toMatchObject({
      sessionId: s1,
      nominationId: imminent,
      caseId: imminent,
      position: 1,
      riskLevel: 'imminent',
      identityLevel: 'de-identified',
      kind: 'new',
    });
    expect(events.some((e) => e.nominationId === none)).toBe(false);

    // A later session: the case that found no room is placed there; nothing placed twice.
    const s3 = await fx.session(series, 21);
    expect(await place(dept)).toEqual({ placed: 1, unplaced: 0 });
    expect(ids(await fx.agenda(s3))).toEqual([none]);
    expect(await place(dept)).toEqual({ placed: 0, unplaced: 0 });
    expect(await scheduledEvents(dept)).toHaveLength(5);

    const coordinator = await t.token('coordinator', dept);
    const res = await http().get(`/v1/sessions/${s1}/agenda`).set('authorization', `Bearer ${coordinator}`).expect(200);
    expect(res.body).toMatchObject({ sessionId: s1, seriesId: series, seriesKind: 'hub', caseCapacity: 2 });
    expect(
      res.body.items.map((i: { position: number; nominationId: string; riskLevel: string; kind: string }) => [
        i.position,
        i.nominationId,
        i.riskLevel,
        i.kind,
      ]),
    ).toEqual([
      [1, imminent, 'imminent', 'new'],
      [2, olderUrgent, 'urgent', 'new'],
    ]);
  });

  it('respects the cutoff: a session whose nominations have closed takes no case', async () => {
    const { dept, fx } = department();
    const series = await fx.series({ capacity: 5 });
    const closed = await fx.session(series, 1, { cutoffHours: 48 });
    const next = await fx.session(series, 8);
    const n = await fx.nomination('imminent');
    await place(dept);
    expect(await fx.agenda(closed)).toEqual([]);
    expect(ids(await fx.agenda(next))).toEqual([n]);
  });

  it('a case withdrawn before its session gives its place to the next case', async () => {
    const { dept, fx } = department();
    const series = await fx.series({ capacity: 2 });
    const s1 = await fx.session(series, 7);
    const a = await fx.nomination('urgent', { ageHours: 2 });
    const b = await fx.nomination('urgent', { ageHours: 1 });
    await place(dept);
    await t.db.ownerDataSource.query(
      `UPDATE nomination SET status = 'withdrawn' WHERE department_id = $1 AND id = $2`,
      [dept, a],
    );
    const c = await fx.nomination('routine');
    expect(await place(dept)).toEqual({ placed: 1, unplaced: 0 });
    expect((await fx.agenda(s1)).map((i) => [i.nomination_id, i.position])).toEqual([
      [a, 1],
      [b, 2],
      [c, 3],
    ]);
  });

  it('a session whose capacity is lowered gives back its lowest-priority cases to the next session', async () => {
    const { dept, fx } = department();
    const series = await fx.series({ capacity: 3 });
    const s1 = await fx.session(series, 7, { capacity: 3 });
    const s2 = await fx.session(series, 14, { capacity: 3 });
    const imminent = await fx.nomination('imminent');
    const routine = await fx.nomination('routine');
    const urgent = await fx.nomination('urgent');
    await place(dept);
    expect(ids(await fx.agenda(s1))).toEqual([imminent, urgent, routine]);
    await t.db.ownerDataSource.query(
      `UPDATE conference_session SET case_capacity = 2 WHERE department_id = $1 AND id = $2`,
      [dept, s1],
    );
    expect(await place(dept)).toEqual({ placed: 1, unplaced: 0 });
    expect((await fx.agenda(s1)).map((i) => [i.nomination_id, i.status])).toEqual([
      [imminent, 'scheduled'],
      [urgent, 'scheduled'],
      [routine, 'moved'],
    ]);
    expect(ids(await fx.agenda(s2))).toEqual([routine]);
    const moved = (await scheduledEvents(dept)).at(-1);
    expect(moved).toMatchObject({ sessionId: s2, nominationId: routine, movedFromSessionId: s1 });
  });

  it('moves a cancelled session’s cases to the next session with room, ahead of new cases of the same risk', async () => {
    const { dept, fx } = department();
    const series = await fx.series({ capacity: 2 });
    const s1 = await fx.session(series, 7);
    const s2 = await fx.session(series, 14);
    const s3 = await fx.session(series, 21);
    const a = await fx.nomination('urgent', { ageHours: 10 });
    const b = await fx.nomination('routine', { ageHours: 10 });
    await place(dept);
    expect(ids(await fx.agenda(s1))).toEqual([a, b]);
    // Newer cases arrive after the placement, older than nothing: the moved cases still go first.
    const c = await fx.nomination('urgent', { ageHours: 500 });
    const d = await fx.nomination('routine', { ageHours: 500 });

    const before = (await scheduledEvents(dept)).length;
    const coordinator = await t.token('coordinator', dept);
    // Cancelled through the series area's endpoint, which hands the session to sessionWithdrawn.
    await http()
      .post(`/v1/sessions/${s1}/cancel`)
      .set('authorization', `Bearer ${coordinator}`)
      .send({ reason: 'holiday' })
      .expect(200);

    expect((await fx.agenda(s1)).map((i) => i.status)).toEqual(['moved', 'moved']);
    expect(ids(await fx.agenda(s2))).toEqual([a, c]);
    expect(ids(await fx.agenda(s3))).toEqual([b, d]);
    const moved = (await scheduledEvents(dept)).slice(before);
    expect(moved.find((e) => e.nominationId === a)).toMatchObject({ sessionId: s2, movedFromSessionId: s1 });
    expect(moved.find((e) => e.nominationId === b)).toMatchObject({ sessionId: s3, movedFromSessionId: s1 });
    expect(moved.find((e) => e.nominationId === c)).not.toHaveProperty('movedFromSessionId');

    const res = await http().get(`/v1/sessions/${s1}/agenda`).set('authorization', `Bearer ${coordinator}`).expect(200);
    expect(res.body.sessionStatus).toBe('cancelled');
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual(['moved', 'moved']);
  });

  it('two placements at once never overfill a session (the department agenda lock)', async () => {
    const { dept, fx } = department();
    const series = await fx.series({ capacity: 2 });
    const s1 = await fx.session(series, 7);
    const s2 = await fx.session(series, 14);
    const scheduler = t.app.get(AgendaScheduler);
    const ctx = { departmentId: dept, correlationId: `cor-${t.run}` };
    await place(dept); // the department is known to the sweep already, as in steady state
    const lockWaiters = async () =>
      (
        await t.db.ownerDataSource.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND database =
             (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )
      )[0].n as number;
    // Two nominations open and are placed in one transaction that stays open until the second
    // placement (a third nomination opening) has either finished or is waiting for the lock.
    let firstPlaced!: () => void;
    const placedFirst = new Promise<void>((resolve) => (firstPlaced = resolve));
    let secondDone = false;
    const first = tenantTransaction(t.db.dataSource, dept, async (em) => {
      const a = await fx.nomination('urgent', { via: em, ageHours: 2 });
      const b = await fx.nomination('urgent', { via: em, ageHours: 1 });
      await scheduler.placeOpenNominations(em, ctx);
      firstPlaced();
      while (!secondDone && (await lockWaiters()) === 0) await new Promise((r) => setTimeout(r, 20));
      return [a, b];
    });
    await placedFirst;
    const second = tenantTransaction(t.db.dataSource, dept, async (em) => {
      const c = await fx.nomination('imminent', { via: em });
      await scheduler.placeOpenNominations(em, ctx);
      return c;
    }).finally(() => (secondDone = true));
    const [[a, b], c] = await Promise.all([first, second]);

    expect(ids(await fx.agenda(s1))).toEqual([a, b]);
    expect(ids(await fx.agenda(s2))).toEqual([c]);
  });

  it('the sweep (leader only) carries over cases of a session that passed without an outcome and places them again', async () => {
    const { dept, fx } = department();
    const series = await fx.series({ capacity: 2 });
    const s1 = await fx.session(series, 7);
    const s2 = await fx.session(series, 14);
    const s3 = await fx.session(series, 21);
    const a = await fx.nomination('imminent');
    const b = await fx.nomination('urgent');
    const c = await fx.nomination('routine');
    await place(dept);
    expect(ids(await fx.agenda(s2))).toEqual([c]);
    await fx.pastSession(s1, 2);

    // Another instance leads: this one's pass does nothing.
    const leader = t.db.ownerDataSource.createQueryRunner();
    await leader.connect();
    await leader.query(`SELECT pg_advisory_lock(hashtext('cit.conference.agenda-sweep'), 0)`);
    expect(await t.app.get(AgendaSweepService).sweep()).toBeNull();
    expect((await fx.agenda(s1)).map((i) => i.status)).toEqual(['scheduled', 'scheduled']);
    await leader.query(`SELECT pg_advisory_unlock(hashtext('cit.conference.agenda-sweep'), 0)`);
    await leader.release();

    const run = await t.app.get(AgendaSweepService).sweep();
    // Other tests' departments are visited too: none of them has a passed or cancelled session left.
    expect(run).toMatchObject({ carriedOver: 2, moved: 0 });
    expect((await fx.agenda(s1)).map((i) => i.status)).toEqual(['carried-over', 'carried-over']);
    // Cases already placed keep their place; the carried-over ones take the room left, then the next session.
    expect(ids(await fx.agenda(s2))).toEqual([c, a]);
    expect(ids(await fx.agenda(s3))).toEqual([b]);
    const again = (await scheduledEvents(dept)).filter((e) => e.nominationId === a);
    expect(again.map((e) => e.sessionId)).toEqual([s1, s2]);
    expect(again[1]).not.toHaveProperty('movedFromSessionId');
  });

  it('the sweep touches at most its item budget per department and pass', async () => {
    const { dept, fx } = department();
    const series = await fx.series({ capacity: 3 });
    const s1 = await fx.session(series, 7, { capacity: 3 });
    await fx.session(series, 14, { capacity: 3 });
    for (const risk of ['urgent', 'routine', 'none'] as const) await fx.nomination(risk);
    await place(dept);
    await fx.pastSession(s1, 2);
    const sweep = () =>
      tenantTransaction(t.db.dataSource, dept, (em) =>
        t.app
          .get(AgendaScheduler)
          .sweepDepartment(
            em,
            { departmentId: dept, correlationId: `cor-${t.run}` },
            { now: new Date(), graceMs: 0, maxItems: 2 },
          ),
      );
    expect(await sweep()).toMatchObject({ carriedOver: 2, placed: 2 });
    expect(await sweep()).toMatchObject({ carriedOver: 1, placed: 1 });
    expect(await sweep()).toMatchObject({ carriedOver: 0, placed: 0 });
    expect((await fx.agenda(s1)).map((i) => i.status)).toEqual(['carried-over', 'carried-over', 'carried-over']);
  });

  it('shows identity on the agenda only to the agency the table selected; a non-member gets 404', async () => {
    const { dept, fx } = department();
    const [selected, other, outsider] = ['sel', 'oth', 'out'].map((a) => `ag-${a}-${t.run}`);
    const series = await fx.series({ capacity: 3, members: [selected, other] });
    const s1 = await fx.session(series, 7);
    const name = 'Dana Whitfield';
    const n = await fx.nomination('urgent', {
      nameCiphertext: t.app.get(FieldCipher).encrypt(name),
      personId: 'per_0000000000000000000000000000a001',
    });
    await place(dept);
    await fx.acutelyElevated(n, s1, [selected]);

    const get = async (agency: string, status: number) =>
      http()
        .get(`/v1/sessions/${s1}/agenda`)
        .set('authorization', `Bearer ${await t.partnerToken(agency, dept)}`)
        .expect(status);
    const seen = await get(selected, 200);
    expect(seen.body.items[0].case).toMatchObject({ level: 'limited-identity', identity: { name } });

    const notSelected = await get(other, 200);
    expect(notSelected.body.items).toHaveLength(1);
    expect(notSelected.body.items[0]).toMatchObject({ nominationId: n, riskLevel: 'urgent', position: 1 });
    expect(notSelected.body.items[0].case.level).toBe('de-identified');
    expect(notSelected.body.items[0].case).not.toHaveProperty('identity');
    expect(JSON.stringify(notSelected.body)).not.toContain('Dana');
    expect(JSON.stringify(notSelected.body)).not.toContain('Whitfield');

    const res = await get(outsider, 404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    // Exactly what a session that does not exist answers: a non-member learns nothing.
    const missing = await http()
      .get(`/v1/sessions/ses_00000000000000000000000000000000/agenda`)
      .set('authorization', `Bearer ${await t.partnerToken(outsider, dept)}`)
      .expect(404);
    expect({ ...res.body, instance: 0, correlationId: 0 }).toEqual({ ...missing.body, instance: 0, correlationId: 0 });
  });
});
