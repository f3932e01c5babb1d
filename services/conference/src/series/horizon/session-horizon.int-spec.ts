import request from 'supertest';
import { AgendaScheduler } from '../../agenda/agenda-scheduler';
import { MouChangedHandler } from '../../agencies/mou-changed/mou-changed.handler';
import { startConferenceTestApp, type ConferenceTestApp } from '../../testing/conference-test-app';
import { HORIZON_LOCK_KEY, SessionHorizonJob } from './session-horizon.job';

jest.setTimeout(120_000);

describe('the horizon job (real PostgreSQL, advisory lock, periodic in the service)', () => {
  let t: ConferenceTestApp;
  let admin: string;
  const http = () => request(t.url);

  beforeAll(async () => {
    t = await startConferenceTestApp('conf_horizon', { horizonIntervalMs: 400 });
    admin = await t.token('admin');
    await t.deliver(MouChangedHandler, 'cit.referral.mou-changed.v1', 'mou-hz', {
      mouId: 'mou-hz',
      agencyId: `hz-agency-${t.run}`,
      status: 'active',
      effectiveFrom: '2026-01-01',
      expiresOn: '2099-12-31',
      revision: 1,
    });
  });
  afterAll(() => t?.close());

  async function sessionCount(seriesId: string): Promise<number> {
    const [row] = (await t.db.ownerDataSource.query(
      `SELECT count(*)::int AS n FROM conference_session WHERE series_id = $1`,
      [seriesId],
    )) as { n: number }[];
    return row!.n;
  }

  it('extends every active series when the horizon grows, then places open nominations; a replica without the lock does nothing', async () => {
    await http()
      .put('/v1/settings')
      .set({ authorization: `Bearer ${admin}` })
      .send({ timeZone: 'Europe/Berlin', horizonWeeks: 2, expectedVersion: 0 })
      .expect(200);
    const created = await http()
      .post('/v1/series')
      .set({ authorization: `Bearer ${admin}` })
      .send({
        kind: 'cross-training',
        title: 'CIT 40-hour refresher',
        rrule: 'FREQ=WEEKLY;BYDAY=WE',
        firstOccurrence: '2026-11-04T09:00',
        durationMinutes: 240,
        meetingUrl: 'https://training.example.org/cit',
        members: [{ agencyId: `hz-agency-${t.run}`, role: 'chair' }],
        caseCapacity: 0,
        nominationCutoffHours: 0,
      })
      .expect(201);
    const id = created.body.id as string;
    const initial = await sessionCount(id);
    expect(initial).toBeGreaterThanOrEqual(2);
    expect(initial).toBeLessThanOrEqual(3);

    const job = t.app.get(SessionHorizonJob);
    const place = jest.spyOn(t.app.get(AgendaScheduler), 'placeOpenNominations');
    // Another replica holds the pass lock: this one skips its pass and creates nothing.
    const other = t.db.ownerDataSource.createQueryRunner();
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1::bigint)', [HORIZON_LOCK_KEY.toString()]);
      expect(await job.runOnce()).toEqual({ ran: false, departments: 0, created: 0, failedDepartments: 0 });
      // Grown behind the service's back (no PUT, which would extend at once): only the job can catch up.
      await t.db.ownerDataSource.query(`UPDATE conference_settings SET horizon_weeks = 8`);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await sessionCount(id)).toBe(initial);
    } finally {
      await other.query(`SELECT pg_advisory_unlock_all()`);
      await other.release();
    }

    // The periodic pass (every 400 ms here) now holds the lock and extends the series.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await sessionCount(id)) < 8) await new Promise((r) => setTimeout(r, 200));
    const extended = await sessionCount(id);
    expect(extended).toBeGreaterThanOrEqual(8);
    expect(extended).toBeLessThanOrEqual(9);
    expect(place).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ departmentId: 'dept-a' }));
    // Later passes find nothing to add.
    await new Promise((r) => setTimeout(r, 1200));
    expect(await sessionCount(id)).toBe(extended);
    place.mockRestore();
  });
});
