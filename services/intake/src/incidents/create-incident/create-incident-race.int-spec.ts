/**
 * The unique-violation fallback of incident creation, with the race forced rather than hoped
 * for: a transaction of "another replica" holds an uncommitted incident with the CAD number,
 * so requests pass the pre-check (they cannot see it) and wait on the unique index; when it
 * resolves, the losers hit the unique constraint and must end as "already recorded".
 */
import { createIncidentExample } from '@cit/contracts';
import type { Principal } from '@cit/auth';
import type { QueryRunner } from 'typeorm';
import request from 'supertest';
import { startIntakeTestApp, type IntakeTestApp } from '../../testing/intake-test-app';
import { CreateIncidentService } from './create-incident.service';

const DEPT = 'dept-a';

describe('incident creation under a unique-constraint race (real PostgreSQL)', () => {
  let t: IntakeTestApp;
  let officer: string;
  let seq = 0;
  const cad = () => `CAD-RACE-${Date.now()}-${++seq}`;
  const body = (cadCallNumber: string) => ({ ...createIncidentExample, externalIds: { cadCallNumber } });
  const post = (b: object) => request(t.url).post('/v1/incidents').set('authorization', `Bearer ${officer}`).send(b);

  beforeAll(async () => {
    t = await startIntakeTestApp('incidents_race');
    officer = await t.token('officer', DEPT);
  });
  afterAll(() => t?.close());

  /** Another replica's transaction: an incident with this CAD number, inserted and not yet committed. */
  async function holdCad(cadCallNumber: string, id = `inc_other_${seq}`): Promise<{ id: string; runner: QueryRunner }> {
    const runner = t.db.ownerDataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(
      `INSERT INTO incident (id, department_id, cad_call_number, occurred_at, received_at, call_type, encounter, bh_related_to, reporting_officer_id, created_by)
       VALUES ($1, $2, $3, now(), now(), 'welfare-check', 'non-criminal', 'neither', 'officer-1', 'other-replica')`,
      [id, DEPT, cadCallNumber],
    );
    return { id, runner };
  }

  /** Waits until n transactions of the app are blocked inserting an incident (they passed the pre-check). */
  async function blockedInserts(n: number, statement = '%INSERT INTO incident (%'): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const [{ waiting }] = await t.db.ownerDataSource.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
        [statement],
      );
      if (waiting >= n) return;
      if (Date.now() > deadline) throw new Error(`expected ${n} blocked incident inserts, saw ${waiting}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const stored = async (cadCallNumber: string) =>
    (await t.db.ownerDataSource.query(`SELECT id FROM incident WHERE department_id = $1 AND cad_call_number = $2`, [
      DEPT,
      cadCallNumber,
    ])) as { id: string }[];
  const events = async (incidentId: string) =>
    (await t.db.ownerDataSource.query(`SELECT event_type FROM outbox WHERE message_key = $1`, [incidentId])) as {
      event_type: string;
    }[];

  it('across batches: two requests with one CAD number both past the pre-check end as one incident, one event, 201 and 200 with the same id', async () => {
    const c = cad();
    const other = await holdCad(c);
    try {
      const first = post(body(c)).then((r) => r);
      await blockedInserts(1);
      const second = post(body(c)).then((r) => r);
      // Past the pre-check too: it waits on the index or, the subject being the same person,
      // behind the first request's person locks (persons are matched before the insert).
      await blockedInserts(2, '%');
      // The other replica gives up: one waiting request wins the index, the other collides with it.
      await other.runner.rollbackTransaction();
      const results = await Promise.all([first, second]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
      expect(results[0]!.body.id).toBe(results[1]!.body.id);
      const rows = await stored(c);
      expect(rows).toEqual([{ id: results[0]!.body.id }]);
      expect(await events(rows[0]!.id)).toEqual([{ event_type: 'cit.incident.reported.v1' }]);
      const loser = results.find((r) => r.status === 200)!;
      expect(loser.headers.location).toBe(`/v1/incidents/${rows[0]!.id}`);
    } finally {
      await other.runner.release();
    }
  });

  it('in one group-commit batch: the colliding request gets the other replica’s incident, the rest of the batch is still created once', async () => {
    const service = t.app.get(CreateIncidentService);
    const principal: Principal = {
      subject: 'officer-race',
      kind: 'staff',
      roles: ['officer'],
      departmentId: DEPT,
    } as Principal;
    const [x, y, z] = [cad(), cad(), cad()];
    const other = await holdCad(x);
    try {
      // Submitted in one turn of the event loop: one batch, one transaction, one set-based insert.
      const batch = [x, y, z].map((c) => service.create(body(c) as never, principal));
      await blockedInserts(1);
      await other.runner.commitTransaction();
      const [rx, ry, rz] = await Promise.all(batch);

      expect(rx).toEqual({ created: false, incidentId: other.id });
      expect(await stored(x)).toEqual([{ id: other.id }]);
      expect(await events(other.id)).toEqual([]);
      for (const [c, r] of [
        [y, ry],
        [z, rz],
      ] as const) {
        expect(r!.created).toBe(true);
        const rows = await stored(c);
        expect(rows).toHaveLength(1);
        expect(r!.created && r!.record.id).toBe(rows[0]!.id);
        expect(await events(rows[0]!.id)).toEqual([{ event_type: 'cit.incident.reported.v1' }]);
      }
    } finally {
      await other.runner.release();
    }
  });

  it('over HTTP: a request that collides with another replica’s commit answers 200 with that incident, and stores and emits nothing', async () => {
    const c = cad();
    const other = await holdCad(c);
    try {
      const pending = post(body(c)).then((r) => r);
      await blockedInserts(1);
      await other.runner.commitTransaction();
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(other.id);
      expect(await stored(c)).toEqual([{ id: other.id }]);
      expect(await events(other.id)).toEqual([]);
    } finally {
      await other.runner.release();
    }
  });

  it('same Idempotency-Key across batches: the second request waits for the first (key lock), then answers 200 with its id; one event', async () => {
    const c = cad();
    const key = `race-${c}`;
    const other = await holdCad(c);
    try {
      const keyed = () =>
        request(t.url)
          .post('/v1/incidents')
          .set('authorization', `Bearer ${officer}`)
          .set('idempotency-key', key)
          .send(body(c));
      const first = keyed().then((r) => r);
      await blockedInserts(1);
      const second = keyed().then((r) => r);
      await blockedInserts(1, 'SELECT pg_advisory_xact_lock(%');
      await other.runner.rollbackTransaction();
      const [r1, r2] = await Promise.all([first, second]);
      expect([r1.status, r2.status]).toEqual([201, 200]);
      expect(r2.body.id).toBe(r1.body.id);
      expect(await events(r1.body.id)).toEqual([{ event_type: 'cit.incident.reported.v1' }]);
      const [{ keys }] = await t.db.ownerDataSource.query(
        `SELECT count(*)::int AS keys FROM idempotency_key WHERE department_id = $1 AND key = $2`,
        [DEPT, key],
      );
      expect(keys).toBe(1);
    } finally {
      await other.runner.release();
    }
  });
});
