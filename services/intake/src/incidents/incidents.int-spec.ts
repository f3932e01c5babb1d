import { createIncidentExample } from '@cit/contracts';
import request from 'supertest';
import { startIntakeTestApp, type IntakeTestApp } from '../testing/intake-test-app';

describe('incidents API (real PostgreSQL, outbox)', () => {
  let t: IntakeTestApp;
  let officer: string;
  let supervisor: string;
  let otherDepartment: string;
  let seq = 0;
  const cad = () => `CAD-T-${Date.now()}-${++seq}`;
  const http = () => request(t.url);
  const body = (overrides: Record<string, unknown> = {}) => ({
    ...createIncidentExample,
    externalIds: { cadCallNumber: cad() },
    ...overrides,
  });
  const outbox = (incidentId: string) =>
    t.db.ownerDataSource.query(`SELECT event_type, payload FROM outbox WHERE message_key = $1 ORDER BY seq`, [
      incidentId,
    ]) as Promise<{ event_type: string; payload: { data: Record<string, unknown> } }[]>;

  beforeAll(async () => {
    t = await startIntakeTestApp('incidents');
    [officer, supervisor, otherDepartment] = await Promise.all([
      t.token('officer'),
      t.token('supervisor'),
      t.token('supervisor', 'dept-b'),
    ]);
  });
  afterAll(() => t?.close());

  describe('POST /v1/incidents idempotency', () => {
    it('returns the first result for a repeated Idempotency-Key and emits one event', async () => {
      const b = body();
      const key = `k-${Date.now()}`;
      const first = await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${officer}`)
        .set('idempotency-key', key)
        .send(b);
      expect(first.status).toBe(201);
      const again = await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${officer}`)
        .set('idempotency-key', key)
        .send(b);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      expect((await outbox(first.body.id)).map((r) => r.event_type)).toEqual(['cit.incident.reported.v1']);
    });

    it('refuses a used Idempotency-Key with a different body (422) and stores nothing', async () => {
      const key = `k-reuse-${Date.now()}`;
      await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${officer}`)
        .set('idempotency-key', key)
        .send(body())
        .expect(201);
      const [{ n: before }] = await t.db.ownerDataSource.query('SELECT count(*)::int AS n FROM incident');
      const res = await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${officer}`)
        .set('idempotency-key', key)
        .send(body({ callType: 'other' }));
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const [{ n: after }] = await t.db.ownerDataSource.query('SELECT count(*)::int AS n FROM incident');
      expect(after).toBe(before);
    });

    it('treats the same CAD call number as the same incident, also under concurrent requests', async () => {
      const b = body();
      const results = await Promise.all(
        Array.from({ length: 6 }, () => http().post('/v1/incidents').set('authorization', `Bearer ${officer}`).send(b)),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await outbox(results[0].body.id)).toHaveLength(1);
    });

    it('group-commits concurrent requests while keeping each outcome its own', async () => {
      const key = `k-batch-${Date.now()}`;
      await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${officer}`)
        .set('idempotency-key', key)
        .send(body())
        .expect(201);
      const bodies = Array.from({ length: 10 }, () => body());
      const [reused, ...fresh] = await Promise.all([
        http()
          .post('/v1/incidents')
          .set('authorization', `Bearer ${officer}`)
          .set('idempotency-key', key)
          .send(body({ callType: 'other' })),
        ...bodies.map((b) => http().post('/v1/incidents').set('authorization', `Bearer ${officer}`).send(b)),
      ]);
      expect(reused.status).toBe(422);
      expect(fresh.map((r) => r.status)).toEqual(Array(10).fill(201));
      expect(new Set(fresh.map((r) => r.body.id)).size).toBe(10);
      for (const r of fresh) expect(await outbox(r.body.id)).toHaveLength(1);
      expect(fresh[3].body.subjects[0].name).toBe('Jordan Example');
    });

    // Found by the API fuzz suite: a second incident with a used RMS number (and no CAD number,
    // so not the same call again) hit the unique index and answered 500.
    it('refuses a second incident with a used RMS number with 409 problem+json, alone or in a batch', async () => {
      const rms = `RMS-T-${Date.now()}`;
      const b = body({ externalIds: { rmsIncidentNumber: rms } });
      await http().post('/v1/incidents').set('authorization', `Bearer ${officer}`).send(b).expect(201);
      const again = await http().post('/v1/incidents').set('authorization', `Bearer ${supervisor}`).send(b);
      expect(again.status).toBe(409);
      expect(again.headers['content-type']).toContain('application/problem+json');
      expect(again.body.detail).toMatch(/rmsIncidentNumber/);
      const batch = await Promise.all([
        http().post('/v1/incidents').set('authorization', `Bearer ${officer}`).send(b),
        http().post('/v1/incidents').set('authorization', `Bearer ${officer}`).send(body()),
      ]);
      expect(batch.map((r) => r.status)).toEqual([409, 201]);
      const [{ n }] = await t.db.ownerDataSource.query(
        'SELECT count(*)::int AS n FROM incident WHERE rms_incident_number = $1',
        [rms],
      );
      expect(n).toBe(1);
    });

    it('does not let another department see the CAD number as used', async () => {
      const b = body();
      const mine = await http().post('/v1/incidents').set('authorization', `Bearer ${officer}`).send(b).expect(201);
      const theirs = await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${otherDepartment}`)
        .send(b)
        .expect(201);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });
  });

  describe('PUT /v1/incidents/{id}/indicators', () => {
    it('re-flags after dispatch, records history and emits cit.incident.reclassified.v1 once', async () => {
      const created = await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${officer}`)
        .send(
          body({
            callType: 'disturbance',
            behavioralHealth: { relatedTo: 'neither', observations: [], suspectedUsing: ['N'] },
          }),
        )
        .expect(201);
      const id = created.body.id as string;
      const coding = { relatedTo: 'mental-health', observations: ['trauma'], suspectedUsing: ['N'] };
      const res = await http()
        .put(`/v1/incidents/${id}/indicators`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({
          behavioralHealth: coding,
          reason: { code: 'clinical-review', note: 'clinician follow-up found a crisis' },
        })
        .expect(200);
      expect(res.body).toMatchObject({ version: 2, changed: true });
      const again = await http()
        .put(`/v1/incidents/${id}/indicators`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ behavioralHealth: coding, reason: { code: 'clinical-review' } })
        .expect(200);
      expect(again.body).toMatchObject({ version: 2, changed: false });
      const events = await outbox(id);
      expect(events.map((e) => e.event_type)).toEqual(['cit.incident.reported.v1', 'cit.incident.reclassified.v1']);
      expect(events[1].payload.data).toMatchObject({
        previous: { relatedTo: 'neither' },
        current: coding,
        origin: 'manual',
        version: 2,
      });
      const [change] = await t.db.ownerDataSource.query(
        `SELECT reason_note, previous_coding FROM incident_change WHERE incident_id = $1`,
        [id],
      );
      expect(change.reason_note).toMatch(/^enc:v2:/);
      const fetched = await http().get(`/v1/incidents/${id}`).set('authorization', `Bearer ${officer}`).expect(200);
      expect(fetched.body.behavioralHealth.relatedTo).toBe('mental-health');
    });

    it('answers bad codes with the field name, and another department with 404', async () => {
      const created = await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${officer}`)
        .send(body())
        .expect(201);
      const bad = await http()
        .put(`/v1/incidents/${created.body.id}/indicators`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({
          behavioralHealth: { relatedTo: 'maybe', observations: [], suspectedUsing: ['N', 'A'] },
          reason: { code: 'other' },
        })
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['behavioralHealth.relatedTo', 'behavioralHealth.suspectedUsing']),
      );
      await http()
        .put(`/v1/incidents/${created.body.id}/indicators`)
        .set('authorization', `Bearer ${otherDepartment}`)
        .send({
          behavioralHealth: { relatedTo: 'both', observations: [], suspectedUsing: ['A'] },
          reason: { code: 'other' },
        })
        .expect(404);
      expect(await outbox(created.body.id)).toHaveLength(1);
    });
  });

  describe('supplements and corrections', () => {
    it('appends narrative encrypted and emits cit.incident.updated.v1 (kind supplement)', async () => {
      const created = await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${officer}`)
        .send(body())
        .expect(201);
      const id = created.body.id as string;
      await http()
        .post(`/v1/incidents/${id}/supplements`)
        .set('authorization', `Bearer ${officer}`)
        .send({ narrative: 'Follow-up: family reports he has stopped taking medication.' })
        .expect(201);
      const [stored] = await t.db.ownerDataSource.query(
        'SELECT narrative FROM incident_supplement WHERE incident_id = $1',
        [id],
      );
      expect(stored.narrative).toMatch(/^enc:v2:/);
      const fetched = await http().get(`/v1/incidents/${id}`).set('authorization', `Bearer ${officer}`).expect(200);
      expect(fetched.body.supplements[0].narrative).toContain('stopped taking medication');
      expect(fetched.body.version).toBe(2);
      const events = await outbox(id);
      expect(events[1]).toMatchObject({
        event_type: 'cit.incident.updated.v1',
        payload: { data: { kind: 'supplement', changedFields: ['supplements'] } },
      });
    });

    it('corrects fields with a required reason and names the changed fields, not their values', async () => {
      const created = await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${officer}`)
        .send(body())
        .expect(201);
      const id = created.body.id as string;
      const noReason = await http()
        .patch(`/v1/incidents/${id}`)
        .set('authorization', `Bearer ${officer}`)
        .send({ changes: { district: 'sector-9' } });
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
      const subjectId = created.body.subjects[0].id as string;
      const res = await http()
        .patch(`/v1/incidents/${id}`)
        .set('authorization', `Bearer ${officer}`)
        .send({
          changes: {
            district: 'sector-9',
            narrative: 'Corrected narrative text.',
            subjects: [{ id: subjectId, name: 'Jordan Exampel' }],
          },
          reason: { code: 'data-entry-error' },
        })
        .expect(200);
      expect(res.body.changedFields.sort()).toEqual(['district', 'narrative', 'subjects.name']);
      const fetched = await http().get(`/v1/incidents/${id}`).set('authorization', `Bearer ${officer}`).expect(200);
      expect(fetched.body).toMatchObject({
        narrative: 'Corrected narrative text.',
        location: { district: 'sector-9' },
        version: 2,
      });
      expect(fetched.body.subjects[0].name).toBe('Jordan Exampel');
      const events = await outbox(id);
      expect(events[1].payload.data).toMatchObject({ kind: 'correction', reasonCode: 'data-entry-error', version: 2 });
      expect(JSON.stringify(events[1].payload)).not.toContain('Corrected narrative');
      await http()
        .patch(`/v1/incidents/${id}`)
        .set('authorization', `Bearer ${officer}`)
        .send({ changes: { subjects: [{ id: 'sub_nope', name: 'X' }] }, reason: { code: 'other' } })
        .expect(400);
    });
  });

  describe('GET /v1/incidents', () => {
    it('filters by time range, BH flag and district, and pages through every match exactly once', async () => {
      const district = `d-${Date.now()}`;
      const base = Date.parse('2026-01-01T00:00:00Z');
      for (let i = 0; i < 7; i++) {
        await http()
          .post('/v1/incidents')
          .set('authorization', `Bearer ${officer}`)
          .send(
            body({
              occurredAt: new Date(base + i * 3600_000).toISOString(),
              location: { district },
              behavioralHealth: {
                relatedTo: i % 2 ? 'narcotics' : 'neither',
                observations: [],
                suspectedUsing: i % 2 ? ['D'] : ['N'],
              },
            }),
          )
          .expect(201);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await http()
          .get('/v1/incidents')
          .query({ district, limit: 2, ...(cursor ? { cursor } : {}) })
          .set('authorization', `Bearer ${officer}`)
          .expect(200);
        seen.push(...page.body.items.map((i: { id: string }) => i.id));
        // One convention for every listing: null, never absent, on the last page.
        if (!page.body.nextCursor) expect(page.body.nextCursor).toBeNull();
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);

      const narcotics = await http()
        .get('/v1/incidents')
        .query({ district, bh: 'narcotics' })
        .set('authorization', `Bearer ${officer}`)
        .expect(200);
      expect(narcotics.body.items).toHaveLength(3);
      const windowed = await http()
        .get('/v1/incidents')
        .query({
          district,
          from: new Date(base + 2 * 3600_000).toISOString(),
          to: new Date(base + 5 * 3600_000).toISOString(),
        })
        .set('authorization', `Bearer ${officer}`)
        .expect(200);
      expect(windowed.body.items.map((i: { occurredAt: string }) => i.occurredAt)).toEqual([
        new Date(base + 4 * 3600_000).toISOString(),
        new Date(base + 3 * 3600_000).toISOString(),
        new Date(base + 2 * 3600_000).toISOString(),
      ]);
      const theirs = await http()
        .get('/v1/incidents')
        .query({ district })
        .set('authorization', `Bearer ${otherDepartment}`)
        .expect(200);
      expect(theirs.body.items).toEqual([]);
    });

    it('rejects unknown filters and forged cursors naming the parameter', async () => {
      const unknown = await http()
        .get('/v1/incidents')
        .query({ colour: 'red' })
        .set('authorization', `Bearer ${officer}`)
        .expect(400);
      expect(unknown.body.errors[0].field).toBe('colour');
      const forged = await http()
        .get('/v1/incidents')
        .query({ cursor: 'Zm9yZ2Vk' })
        .set('authorization', `Bearer ${officer}`)
        .expect(400);
      expect(forged.body.errors[0].field).toBe('cursor');
    });

    it('finds a subject’s incidents by name and date of birth without decrypting (POST /v1/incidents/search)', async () => {
      const name = `Search Person ${Date.now()}`;
      const created = await http()
        .post('/v1/incidents')
        .set('authorization', `Bearer ${officer}`)
        .send(body({ subjects: [{ name, dateOfBirth: '1980-02-03', flags: {} }] }))
        .expect(201);
      const found = await http()
        .post('/v1/incidents/search')
        .set('authorization', `Bearer ${supervisor}`)
        .send({ subject: { name: name.toUpperCase(), dateOfBirth: '1980-02-03' } })
        .expect(200);
      expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
      const byPerson = await http()
        .get('/v1/incidents')
        .query({ personId: created.body.subjects[0].personId })
        .set('authorization', `Bearer ${supervisor}`)
        .expect(200);
      expect(byPerson.body.items.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
    });
  });
});
