import { randomUUID } from 'node:crypto';
import type { BhCoding } from '@cit/contracts';
import { createTestDatabase, runtimeRoleName, tenantTransaction, type TestDatabase } from '@cit/persistence';
import { intakeService } from '../intake.definition';
import { ReviewScreener, type IncidentToScreen } from './review-screener.service';
import { ScreeningRulesStore } from './screening-rules.store';

/** Inserts a bare incident row; screening only needs it to exist (review_item references it). */
async function insertIncident(
  db: TestDatabase,
  departmentId: string,
  relatedTo: BhCoding['relatedTo'] = 'neither',
): Promise<string> {
  const id = `inc_${randomUUID().replace(/-/g, '')}`;
  await db.ownerDataSource.query(
    `INSERT INTO incident (id, department_id, occurred_at, received_at, call_type, encounter, bh_related_to, reporting_officer_id, created_by)
     VALUES ($1, $2, now(), now(), 'disturbance', 'non-criminal', $3, 'officer-1', 'officer-1')`,
    [id, departmentId, relatedTo],
  );
  return id;
}

const coding = (relatedTo: BhCoding['relatedTo']): BhCoding => ({ relatedTo, observations: [], suspectedUsing: ['N'] });

describe('ReviewScreener (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: ScreeningRulesStore;
  let screener: ReviewScreener;
  const items = (incidentId: string) =>
    db.ownerDataSource.query(
      `SELECT id, status, reasons, decided_by, decision_reason FROM review_item WHERE incident_id = $1 ORDER BY created_at`,
      [incidentId],
    ) as Promise<
      Array<{
        id: string;
        status: string;
        reasons: unknown[];
        decided_by: string | null;
        decision_reason: string | null;
      }>
    >;
  const screen = (incidentId: string, over: Partial<IncidentToScreen> = {}) =>
    tenantTransaction(db.dataSource, over.departmentId ?? 'dept-a', (em) =>
      screener.screenIncident(em, {
        incidentId,
        departmentId: 'dept-a',
        callType: 'disturbance',
        observations: [],
        coding: coding('neither'),
        ...over,
      }),
    );

  beforeAll(async () => {
    // Fixtures as the owner; the screener runs on intake's runtime role, under RLS.
    db = await createTestDatabase({
      entities: intakeService.entities,
      migrations: intakeService.migrations,
      prefix: 'intake_screener',
      runtimeRole: runtimeRoleName(intakeService.name),
    });
    store = new ScreeningRulesStore();
    screener = new ReviewScreener(store);
  });
  afterAll(() => db?.drop());

  it('queues one pending item with the reasons, and no item when nothing matches', async () => {
    const flagged = await insertIncident(db, 'dept-a');
    const reasons = await screen(flagged, { narrative: 'Mother says he is off his meds and hearing voices' });
    expect(reasons).toEqual([
      { kind: 'phrase', rule: 'hearing voices', suggests: 'mental-health' },
      { kind: 'phrase', rule: 'off his meds', suggests: 'mental-health' },
    ]);
    const stored = await items(flagged);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'pending', reasons });
    expect(JSON.stringify(stored[0]!.reasons)).not.toContain('Mother');

    const routine = await insertIncident(db, 'dept-a');
    expect(await screen(routine, { narrative: 'Loud music, occupants turned it down' })).toEqual([]);
    expect(await items(routine)).toEqual([]);
  });

  it('a second screening updates the pending item instead of adding one: reasons accumulate', async () => {
    const id = await insertIncident(db, 'dept-a');
    await screen(id, { narrative: 'subject is suicidal' });
    // e.g. a supplement: only the new text is screened
    await screen(id, { narrative: 'EMS gave narcan; subject suicidal again' });
    const stored = await items(id);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.reasons).toEqual([
      { kind: 'keyword', rule: 'suicid', suggests: 'mental-health' },
      { kind: 'keyword', rule: 'narcan', suggests: 'narcotics' },
    ]);
  });

  it('a re-screening drops stored reasons the current coding now covers', async () => {
    const id = await insertIncident(db, 'dept-a');
    await screen(id, { narrative: 'suicidal, narcan administered' });
    await screen(id, { narrative: 'fentanyl found', coding: coding('mental-health') });
    expect((await items(id))[0]!.reasons).toEqual([
      { kind: 'keyword', rule: 'narcan', suggests: 'narcotics' },
      { kind: 'keyword', rule: 'fentanyl', suggests: 'narcotics' },
    ]);
  });

  it('concurrent screenings of one incident still leave a single pending item', async () => {
    const id = await insertIncident(db, 'dept-a');
    await Promise.all(
      ['suicidal', 'narcan', 'hearing voices', 'paranoid'].map((narrative) => screen(id, { narrative })),
    );
    const stored = await items(id);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.reasons).toHaveLength(4);
  });

  it('a decided item does not block a new pending one for the same incident', async () => {
    const id = await insertIncident(db, 'dept-a');
    await screen(id, { narrative: 'suicidal' });
    await db.ownerDataSource.query(
      `UPDATE review_item SET status = 'dismissed', decided_by = 'sup-1', decided_at = now() WHERE incident_id = $1`,
      [id],
    );
    await screen(id, { narrative: 'hallucinating' });
    expect((await items(id)).map((i) => i.status)).toEqual(['dismissed', 'pending']);
  });

  it('screening joins the caller transaction: a rollback leaves no item', async () => {
    const id = await insertIncident(db, 'dept-a');
    await expect(
      tenantTransaction(db.dataSource, 'dept-a', async (em) => {
        await screener.screenIncident(em, {
          incidentId: id,
          departmentId: 'dept-a',
          callType: 'welfare-check',
          observations: [],
          coding: coding('neither'),
        });
        throw new Error('incident insert failed later');
      }),
    ).rejects.toThrow('incident insert failed later');
    expect(await items(id)).toEqual([]);
  });

  describe('resolveOnReclassify', () => {
    const resolve = (incidentId: string, relatedTo: BhCoding['relatedTo']) =>
      tenantTransaction(db.dataSource, 'dept-a', (em) =>
        screener.resolveOnReclassify(em, 'dept-a', incidentId, coding(relatedTo), 'sup-7'),
      );

    it('supersedes a pending item whose categories the new coding covers', async () => {
      const id = await insertIncident(db, 'dept-a');
      await screen(id, { narrative: 'suicidal' });
      const result = await resolve(id, 'mental-health');
      expect(result).toEqual({ itemId: expect.stringMatching(/^rvw_/), status: 'superseded' });
      expect((await items(id))[0]).toMatchObject({
        status: 'superseded',
        decided_by: 'sup-7',
        decision_reason: 'reclassified',
      });
    });

    it('keeps an item pending with the still-open reasons when only some are covered', async () => {
      const id = await insertIncident(db, 'dept-a');
      await screen(id, { narrative: 'suicidal, narcan administered' });
      expect(await resolve(id, 'mental-health')).toMatchObject({ status: 'pending' });
      expect((await items(id))[0]).toMatchObject({
        status: 'pending',
        reasons: [{ kind: 'keyword', rule: 'narcan', suggests: 'narcotics' }],
      });
      expect(await resolve(id, 'both')).toMatchObject({ status: 'superseded' });
    });

    it('leaves the item alone when the new coding covers nothing it suggests, and is a no-op without an item', async () => {
      const id = await insertIncident(db, 'dept-a');
      await screen(id, { narrative: 'suicidal' });
      expect(await resolve(id, 'narcotics')).toMatchObject({ status: 'pending' });
      expect((await items(id))[0]!.reasons).toHaveLength(1);
      expect(await resolve(await insertIncident(db, 'dept-a'), 'both')).toBeNull();
    });

    it('never touches another department’s item', async () => {
      const id = await insertIncident(db, 'dept-b');
      await tenantTransaction(db.dataSource, 'dept-b', (em) =>
        screener.screenIncident(em, {
          incidentId: id,
          departmentId: 'dept-b',
          callType: 'welfare-check',
          observations: [],
          coding: coding('neither'),
        }),
      );
      expect(await resolve(id, 'both')).toBeNull();
      expect((await items(id))[0]!.status).toBe('pending');
    });
  });

  describe('department rules', () => {
    it('uses the defaults without a configuration, the saved rules with one, cached until invalidated', async () => {
      const dept = `dept-rules-${randomUUID().slice(0, 8)}`;
      const run = async (narrative: string) => {
        const id = await insertIncident(db, dept);
        return tenantTransaction(db.dataSource, dept, (em) =>
          screener.screenIncident(em, {
            incidentId: id,
            departmentId: dept,
            callType: 'disturbance',
            narrative,
            observations: [],
            coding: coding('neither'),
          }),
        );
      };
      expect(await run('kept yelling about the aliens, hallucinating')).toHaveLength(1);
      await db.ownerDataSource.query(
        `INSERT INTO screening_config (department_id, keywords, updated_by) VALUES ($1, ARRAY['mental-health:alien'], 'admin-1')`,
        [dept],
      );
      // Still cached: the defaults apply until the cache entry expires or is invalidated.
      expect((await run('kept yelling about the aliens')).map((r) => r.rule)).toEqual([]);
      store.invalidate(dept);
      expect((await run('kept yelling about the aliens, hallucinating')).map((r) => r.rule)).toEqual(['alien']);
    });

    it('expires cached rules after the TTL', async () => {
      const dept = `dept-ttl-${randomUUID().slice(0, 8)}`;
      const t0 = Date.now();
      // Cache semantics only: the owner's manager reads the rows whatever the tenant.
      expect((await store.rulesFor(db.ownerDataSource.manager, dept, t0)).isDefault).toBe(true);
      await db.ownerDataSource.query(
        `INSERT INTO screening_config (department_id, phrases, version, updated_by) VALUES ($1, ARRAY['narcotics:nod off'], 3, 'admin-1')`,
        [dept],
      );
      expect((await store.rulesFor(db.ownerDataSource.manager, dept, t0 + 1_000)).isDefault).toBe(true);
      const fresh = await store.rulesFor(db.ownerDataSource.manager, dept, t0 + 60_000);
      expect(fresh).toMatchObject({
        isDefault: false,
        version: 3,
        rules: { phrases: [{ term: 'nod off', suggests: 'narcotics' }] },
      });
    });
  });
});
