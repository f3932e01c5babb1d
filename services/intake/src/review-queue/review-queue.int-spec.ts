import { randomUUID } from 'node:crypto';
import { createIncidentExample, type BhCoding } from '@cit/contracts';
import request from 'supertest';
import { startIntakeTestApp, type IntakeTestApp } from '../testing/intake-test-app';
import { REVIEW_ITEM_DECIDED_PROBLEM } from './decide-review-item/decide-review-item.service';
import { ReviewScreener } from './review-screener.service';
import { SCREENING_CONFIG_VERSION_PROBLEM } from './screening-config/screening-config.service';

describe('review queue API (real PostgreSQL, outbox)', () => {
  let t: IntakeTestApp;
  let screener: ReviewScreener;
  const tokens: Record<string, string> = {};
  const http = () => request(t.url);
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

  /** A bare incident row in `department`, screened as the incident use cases do. */
  async function queuedIncident(
    department: string,
    narrative = 'he is off his meds and hearing voices',
    relatedTo: BhCoding['relatedTo'] = 'neither',
  ) {
    const incidentId = `inc_${randomUUID().replace(/-/g, '')}`;
    await t.db.ownerDataSource.query(
      `INSERT INTO incident (id, department_id, occurred_at, received_at, call_type, encounter, bh_related_to, bh_observations, bh_suspected_using,
                             reporting_officer_id, created_by)
       VALUES ($1, $2, now(), now(), 'disturbance', 'non-criminal', $3, ARRAY['trauma'], ARRAY['N'], 'officer-1', 'officer-1')`,
      [incidentId, department, relatedTo],
    );
    await t.db.ownerDataSource.transaction((em) =>
      screener.screenIncident(em, {
        incidentId,
        departmentId: department,
        callType: 'disturbance',
        narrative,
        observations: ['trauma'],
        coding: { relatedTo, observations: ['trauma'], suspectedUsing: ['N'] },
      }),
    );
    const [item] = await t.db.ownerDataSource.query(
      `SELECT id FROM review_item WHERE incident_id = $1 AND status = 'pending'`,
      [incidentId],
    );
    return { incidentId, itemId: item.id as string };
  }

  beforeAll(async () => {
    t = await startIntakeTestApp('intake_review_queue');
    screener = t.app.get(ReviewScreener);
    const entries = await Promise.all(
      (
        [
          ['supervisor', 'supervisor', 'dept-a'],
          ['clinician', 'clinician', 'dept-a'],
          ['officer', 'officer', 'dept-a'],
          ['coordinator', 'coordinator', 'dept-a'],
          ['admin', 'admin', 'dept-a'],
          ['otherSupervisor', 'supervisor', 'dept-b'],
          ['pagingCoordinator', 'coordinator', 'dept-paging'],
          ['configAdmin', 'admin', 'dept-config'],
          ['configOfficer', 'officer', 'dept-config'],
          ['configSupervisor', 'supervisor', 'dept-config'],
        ] as const
      ).map(async ([name, role, dept]) => [name, await t.token(role, dept)] as const),
    );
    for (const [name, token] of entries) tokens[name] = token;
  });
  afterAll(() => t?.close());

  describe('GET /v1/review-queue', () => {
    it('pages pending items oldest first with an opaque cursor, without gaps or repeats', async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await queuedIncident('dept-paging')).itemId);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await http()
          .get('/v1/review-queue')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(as('pagingCoordinator'))
          .expect(200);
        seen.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor ?? undefined;
        if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(created);
    });

    it('returns items with reasons and incident context, no narrative', async () => {
      const { itemId, incidentId } = await queuedIncident('dept-paging', 'John Doe said he was suicidal');
      const res = await http().get('/v1/review-queue').query({ limit: 100 }).set(as('pagingCoordinator')).expect(200);
      const item = res.body.items.find((i: { id: string }) => i.id === itemId);
      expect(item).toEqual({
        id: itemId,
        incidentId,
        reasons: [{ kind: 'keyword', rule: 'suicid', suggests: 'mental-health' }],
        status: 'pending',
        createdAt: expect.any(String),
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
        incident: { callType: 'disturbance', occurredAt: expect.any(String) },
      });
      expect(JSON.stringify(res.body)).not.toContain('John');
    });

    it('rejects bad query parameters with 400 problem+json naming the field', async () => {
      const bad = await http().get('/v1/review-queue').query({ status: 'open' }).set(as('supervisor')).expect(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['status']);
      const limit = await http().get('/v1/review-queue').query({ limit: 1000 }).set(as('supervisor')).expect(400);
      expect(limit.body.errors[0].field).toBe('limit');
      const cursor = await http()
        .get('/v1/review-queue')
        .query({ cursor: 'bm90LWEtY3Vyc29y' })
        .set(as('supervisor'))
        .expect(400);
      expect(cursor.body.errors[0].field).toBe('cursor');
    });

    it('does not continue one status list with the cursor of another', async () => {
      await queuedIncident('dept-paging');
      await queuedIncident('dept-paging');
      const page = await http().get('/v1/review-queue').query({ limit: 1 }).set(as('pagingCoordinator')).expect(200);
      const res = await http()
        .get('/v1/review-queue')
        .query({ status: 'dismissed', cursor: page.body.nextCursor })
        .set(as('pagingCoordinator'))
        .expect(400);
      expect(res.body.errors[0].field).toBe('cursor');
    });

    it('is for supervisors, clinicians, coordinators and admins only', async () => {
      await http().get('/v1/review-queue').set(as('officer')).expect(403);
      await http().get('/v1/review-queue').expect(401);
    });
  });

  describe('POST /v1/review-queue/{itemId}/dismiss', () => {
    it('records who dismissed and why (the reason encrypted at rest); a second decision is 409', async () => {
      const { itemId, incidentId } = await queuedIncident('dept-a');
      const res = await http()
        .post(`/v1/review-queue/${itemId}/dismiss`)
        .set(as('supervisor'))
        .send({ reason: 'Mother was quoting a TV show.' })
        .expect(200);
      expect(res.body).toMatchObject({
        id: itemId,
        incidentId,
        status: 'dismissed',
        decidedBy: 'dev-supervisor',
        decisionReason: 'Mother was quoting a TV show.',
      });
      const [row] = await t.db.ownerDataSource.query(
        `SELECT status, decided_by, decided_at, decision_reason FROM review_item WHERE id = $1`,
        [itemId],
      );
      expect(row).toMatchObject({ status: 'dismissed', decided_by: 'dev-supervisor' });
      expect(row.decided_at).toBeInstanceOf(Date);
      expect(row.decision_reason).toMatch(/^enc:v2:/);

      const listed = await http()
        .get('/v1/review-queue')
        .query({ status: 'dismissed', limit: 100 })
        .set(as('clinician'))
        .expect(200);
      expect(listed.body.items.find((i: { id: string }) => i.id === itemId)).toMatchObject({
        decisionReason: 'Mother was quoting a TV show.',
      });

      const again = await http()
        .post(`/v1/review-queue/${itemId}/dismiss`)
        .set(as('clinician'))
        .send({ reason: 'again' })
        .expect(409);
      expect(again.headers['content-type']).toContain('application/problem+json');
      expect(again.body).toMatchObject({ type: REVIEW_ITEM_DECIDED_PROBLEM, status: 409 });
      await http()
        .post(`/v1/review-queue/${itemId}/accept`)
        .set(as('clinician'))
        .send({ relatedTo: 'mental-health', reason: 'changed my mind' })
        .expect(409);
      const [incident] = await t.db.ownerDataSource.query(`SELECT bh_related_to FROM incident WHERE id = $1`, [
        incidentId,
      ]);
      expect(incident.bh_related_to).toBe('neither');
    });

    it('requires a reason of 1..500 characters', async () => {
      const { itemId } = await queuedIncident('dept-a');
      for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
        const res = await http()
          .post(`/v1/review-queue/${itemId}/dismiss`)
          .set(as('supervisor'))
          .send(body)
          .expect(400);
        expect(res.body.errors[0].field).toBe('reason');
      }
      const unknown = await http()
        .post(`/v1/review-queue/${itemId}/dismiss`)
        .set(as('supervisor'))
        .send({ reason: 'ok', note: 'x' })
        .expect(400);
      expect(unknown.body.errors[0]).toEqual({ field: 'note', detail: 'unknown field' });
      const [row] = await t.db.ownerDataSource.query(`SELECT status FROM review_item WHERE id = $1`, [itemId]);
      expect(row.status).toBe('pending');
    });
  });

  describe('POST /v1/review-queue/{itemId}/accept', () => {
    it('re-flags the incident and marks the item accepted in one transaction', async () => {
      const { itemId, incidentId } = await queuedIncident('dept-a');
      const res = await http()
        .post(`/v1/review-queue/${itemId}/accept`)
        .set(as('clinician'))
        .send({ relatedTo: 'mental-health', reason: 'Clinician confirmed a psychiatric crisis.' })
        .expect(200);
      expect(res.body).toMatchObject({
        id: itemId,
        status: 'accepted',
        decidedBy: 'dev-clinician',
        // observations and suspectedUsing were omitted: the incident keeps its current ones
        incident: {
          behavioralHealth: { relatedTo: 'mental-health', observations: ['trauma'], suspectedUsing: ['N'] },
          version: 2,
          changed: true,
        },
      });
      const [incident] = await t.db.ownerDataSource.query(
        `SELECT bh_related_to, bh_observations, version FROM incident WHERE id = $1`,
        [incidentId],
      );
      expect(incident).toEqual({ bh_related_to: 'mental-health', bh_observations: ['trauma'], version: 2 });
      const events = await t.db.ownerDataSource.query(`SELECT event_type, payload FROM outbox WHERE message_key = $1`, [
        incidentId,
      ]);
      expect(events.map((e: { event_type: string }) => e.event_type)).toEqual(['cit.incident.reclassified.v1']);
      expect(events[0].payload.data).toMatchObject({
        incidentId,
        previous: { relatedTo: 'neither' },
        current: { relatedTo: 'mental-health' },
        origin: 'review-queue',
        reclassifiedBy: 'dev-clinician',
      });
      expect(JSON.stringify(events[0].payload)).not.toContain('psychiatric crisis');
      const [item] = await t.db.ownerDataSource.query(`SELECT status, decided_by FROM review_item WHERE id = $1`, [
        itemId,
      ]);
      expect(item).toEqual({ status: 'accepted', decided_by: 'dev-clinician' });
    });

    it('takes explicit observations and suspectedUsing', async () => {
      const { itemId, incidentId } = await queuedIncident('dept-a', 'narcan given, hallucinating');
      await http()
        .post(`/v1/review-queue/${itemId}/accept`)
        .set(as('supervisor'))
        .send({ relatedTo: 'both', observations: ['overdose'], suspectedUsing: ['D'], reason: 'EMS report' })
        .expect(200);
      const [incident] = await t.db.ownerDataSource.query(
        `SELECT bh_related_to, bh_observations, bh_suspected_using FROM incident WHERE id = $1`,
        [incidentId],
      );
      expect(incident).toEqual({ bh_related_to: 'both', bh_observations: ['overdose'], bh_suspected_using: ['D'] });
    });

    it('rejects "neither" and invalid codes with 400 naming the field, changing nothing', async () => {
      const { itemId, incidentId } = await queuedIncident('dept-a');
      const neither = await http()
        .post(`/v1/review-queue/${itemId}/accept`)
        .set(as('supervisor'))
        .send({ relatedTo: 'neither', reason: 'x' })
        .expect(400);
      expect(neither.body.errors[0].field).toBe('relatedTo');
      const obs = await http()
        .post(`/v1/review-queue/${itemId}/accept`)
        .set(as('supervisor'))
        .send({ relatedTo: 'narcotics', observations: ['sneezing'], reason: 'x' })
        .expect(400);
      expect(obs.body.errors[0].field).toBe('observations.0');
      const [incident] = await t.db.ownerDataSource.query(`SELECT bh_related_to FROM incident WHERE id = $1`, [
        incidentId,
      ]);
      expect(incident.bh_related_to).toBe('neither');
      const [item] = await t.db.ownerDataSource.query(`SELECT status FROM review_item WHERE id = $1`, [itemId]);
      expect(item.status).toBe('pending');
    });

    it('is not for coordinators or officers', async () => {
      const { itemId } = await queuedIncident('dept-a');
      await http()
        .post(`/v1/review-queue/${itemId}/accept`)
        .set(as('officer'))
        .send({ relatedTo: 'mental-health', reason: 'x' })
        .expect(403);
      await http()
        .post(`/v1/review-queue/${itemId}/accept`)
        .set(as('coordinator'))
        .send({ relatedTo: 'mental-health', reason: 'x' })
        .expect(403);
      await http().post(`/v1/review-queue/${itemId}/dismiss`).set(as('coordinator')).send({ reason: 'x' }).expect(403);
    });
  });

  describe('department isolation', () => {
    it('hides another department’s items: not listed, and deciding them is 404', async () => {
      const { itemId } = await queuedIncident('dept-a');
      const list = await http().get('/v1/review-queue').query({ limit: 100 }).set(as('otherSupervisor')).expect(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(itemId);
      const dismiss = await http()
        .post(`/v1/review-queue/${itemId}/dismiss`)
        .set(as('otherSupervisor'))
        .send({ reason: 'x' })
        .expect(404);
      expect(dismiss.headers['content-type']).toContain('application/problem+json');
      await http()
        .post(`/v1/review-queue/${itemId}/accept`)
        .set(as('otherSupervisor'))
        .send({ relatedTo: 'both', reason: 'x' })
        .expect(404);
      await http().post(`/v1/review-queue/rvw_missing/dismiss`).set(as('supervisor')).send({ reason: 'x' }).expect(404);
      const [item] = await t.db.ownerDataSource.query(`SELECT status FROM review_item WHERE id = $1`, [itemId]);
      expect(item.status).toBe('pending');
    });
  });

  describe('GET and PUT /v1/review-queue/config', () => {
    const rules = {
      callTypes: [{ term: 'Mental-Health-Call', suggests: 'mental-health' }],
      keywords: [{ term: 'Psychos', suggests: 'mental-health' }],
      phrases: [{ term: 'Off his meds!', suggests: 'mental-health' }],
      observations: [{ observation: 'overdose', suggests: 'narcotics' }],
    };

    it('returns the defaults, marked isDefault, until the department saves its own', async () => {
      const res = await http().get('/v1/review-queue/config').set(as('configAdmin')).expect(200);
      expect(res.body).toMatchObject({ departmentId: 'dept-config', isDefault: true, version: 0, updatedBy: null });
      expect(res.body.keywords).toContainEqual({ term: 'suicid', suggests: 'mental-health' });
      expect(res.body.phrases).toContainEqual({ term: 'section 12', suggests: 'mental-health' });
    });

    it('saves normalized rules, bumps the version, and screening uses them at once', async () => {
      const saved = await http()
        .put('/v1/review-queue/config')
        .set(as('configAdmin'))
        .send({ ...rules, expectedVersion: 0 })
        .expect(200);
      expect(saved.body).toMatchObject({
        departmentId: 'dept-config',
        isDefault: false,
        version: 1,
        updatedBy: 'dev-admin',
        callTypes: [{ term: 'mental-health-call', suggests: 'mental-health' }],
        keywords: [{ term: 'psychos', suggests: 'mental-health' }],
        phrases: [{ term: 'off his meds', suggests: 'mental-health' }],
        observations: [{ observation: 'overdose', suggests: 'narcotics' }],
      });
      const read = await http().get('/v1/review-queue/config').set(as('configAdmin')).expect(200);
      expect(read.body).toEqual(saved.body);

      const stale = await http()
        .put('/v1/review-queue/config')
        .set(as('configAdmin'))
        .send({ ...rules, expectedVersion: 0 })
        .expect(409);
      expect(stale.body.type).toBe(SCREENING_CONFIG_VERSION_PROBLEM);
      const second = await http()
        .put('/v1/review-queue/config')
        .set(as('configAdmin'))
        .send({ ...rules, keywords: [], expectedVersion: 1 })
        .expect(200);
      expect(second.body).toMatchObject({ version: 2, keywords: [] });
      await http().put('/v1/review-queue/config').set(as('configAdmin')).send(rules).expect(200);
      expect((await http().get('/v1/review-queue/config').set(as('configAdmin')).expect(200)).body.version).toBe(3);

      // The officer's report goes through screening with the department's rules: the default "suicid" no longer applies.
      const report = (narrative: string) =>
        http()
          .post('/v1/incidents')
          .set(as('configOfficer'))
          .send({
            ...createIncidentExample,
            externalIds: { cadCallNumber: `CAD-RQ-${randomUUID()}` },
            callType: 'disturbance',
            narrative,
            behavioralHealth: { relatedTo: 'neither', observations: [], suspectedUsing: ['N'] },
          })
          .expect(201);
      const flagged = await report('Brother says he has been off his meds for a week');
      const quiet = await report('Caller worried he is suicidal');
      const queue = await http().get('/v1/review-queue').query({ limit: 100 }).set(as('configSupervisor')).expect(200);
      const byIncident = new Map(queue.body.items.map((i: { incidentId: string }) => [i.incidentId, i]));
      expect(byIncident.get(flagged.body.id)).toMatchObject({
        reasons: [{ kind: 'phrase', rule: 'off his meds', suggests: 'mental-health' }],
      });
      expect(byIncident.has(quiet.body.id)).toBe(false);
    });

    it('rejects terms that would match nothing or everything, naming each entry', async () => {
      const res = await http()
        .put('/v1/review-queue/config')
        .set(as('configAdmin'))
        .send({
          ...rules,
          keywords: [
            { term: 'od', suggests: 'narcotics' },
            { term: 'off meds', suggests: 'mental-health' },
          ],
          phrases: [{ term: '...', suggests: 'narcotics' }],
        })
        .expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'keywords.0.term',
        'keywords.1.term',
        'phrases.0.term',
      ]);
      const category = await http()
        .put('/v1/review-queue/config')
        .set(as('configAdmin'))
        .send({ ...rules, keywords: [{ term: 'beer', suggests: 'alcohol' }] })
        .expect(400);
      expect(category.body.errors[0].field).toBe('keywords.0.suggests');
      const missing = await http()
        .put('/v1/review-queue/config')
        .set(as('configAdmin'))
        .send({ keywords: [] })
        .expect(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['callTypes', 'phrases', 'observations']),
      );
    });

    it('is for admins only', async () => {
      await http().get('/v1/review-queue/config').set(as('configSupervisor')).expect(403);
      await http().put('/v1/review-queue/config').set(as('configSupervisor')).send(rules).expect(403);
    });
  });

  describe('with the incident use cases', () => {
    it('a report the officer did not flag is queued; re-flagging it via PUT indicators supersedes the item', async () => {
      const created = await http()
        .post('/v1/incidents')
        .set(as('officer'))
        .send({
          ...createIncidentExample,
          externalIds: { cadCallNumber: `CAD-RQ-${randomUUID()}` },
          callType: 'disturbance',
          narrative: 'Neighbor says the resident is hearing voices; narcan kit on the table.',
          behavioralHealth: { relatedTo: 'neither', observations: [], suspectedUsing: ['N'] },
        })
        .expect(201);
      const incidentId = created.body.id as string;
      const [item] = await t.db.ownerDataSource.query(
        `SELECT id, status, reasons FROM review_item WHERE incident_id = $1`,
        [incidentId],
      );
      expect(item).toMatchObject({ status: 'pending' });
      expect(new Set(item.reasons.map((r: { suggests: string }) => r.suggests))).toEqual(
        new Set(['mental-health', 'narcotics']),
      );

      await http()
        .put(`/v1/incidents/${incidentId}/indicators`)
        .set(as('supervisor'))
        .send({
          behavioralHealth: { relatedTo: 'both', observations: [], suspectedUsing: ['D'] },
          reason: { code: 'clinical-review' },
        })
        .expect(200);
      const [after] = await t.db.ownerDataSource.query(
        `SELECT status, decided_by, decision_reason FROM review_item WHERE id = $1`,
        [item.id],
      );
      expect(after).toEqual({ status: 'superseded', decided_by: 'dev-supervisor', decision_reason: 'reclassified' });
      const superseded = await http()
        .get('/v1/review-queue')
        .query({ status: 'superseded' })
        .set(as('supervisor'))
        .expect(200);
      expect(superseded.body.items.find((i: { id: string }) => i.id === item.id)).toMatchObject({
        decisionReason: 'reclassified',
      });
    });
  });
});
