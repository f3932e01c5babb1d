import { Module } from '@nestjs/common';
import { AuditModule } from '@cit/audit';
import request from 'supertest';
import { startTriageTestApp, type TriageTestApp } from '../testing/triage-test-app';
import { CasesModule } from './cases.module';

@Module({ imports: [AuditModule.forService('triage'), CasesModule] })
class CasesFeature {}

// The cases API on the real database (runtime role under RLS) with its outbox and audit.
describe('cases API', () => {
  let t: TriageTestApp;
  const tokens: Record<string, string> = {};
  const http = () => request(t.url);
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  let n = 0;
  const personId = () => `per_${(++n).toString(16).padStart(32, 'c')}`;
  const outbox = async (caseId: string) =>
    (
      await t.db.ownerDataSource.query(
        `SELECT event_type, payload->'data' AS data FROM outbox WHERE message_key = $1 ORDER BY seq`,
        [caseId],
      )
    ).map((r: { event_type: string; data: Record<string, unknown> }) => ({ type: r.event_type, data: r.data }));
  const audit = (recordId: string) =>
    t.db.ownerDataSource.query(
      'SELECT action, record_type, actor_subject, fields FROM audit_log WHERE record_id = $1 ORDER BY seq',
      [recordId],
    );
  const open = (who: string, body: Record<string, unknown>) => http().post('/v1/cases').set(as(who)).send(body);

  beforeAll(async () => {
    t = await startTriageTestApp('triage_cases', { feature: CasesFeature });
    for (const [who, role, dept] of [
      ['coordinator', 'coordinator', 'dept-a'],
      ['clinician', 'clinician', 'dept-a'],
      ['officer', 'officer', 'dept-a'],
      ['supervisor', 'supervisor', 'dept-a'],
      ['admin', 'admin', 'dept-a'],
      ['otherCoordinator', 'coordinator', 'dept-b'],
    ] as const)
      tokens[who] = await t.token(role, dept, `${who}-1`);
  });
  afterAll(() => t?.close());

  it('opens a re-entry case by hand (source recorded, re-entry need implied), once per person', async () => {
    const person = personId();
    const res = await open('coordinator', {
      personId: person,
      source: 're-entry',
      riskLevel: 'routine',
      needs: ['housing'],
    }).expect(201);
    expect(res.body).toMatchObject({
      personId: person,
      status: 'open',
      source: 're-entry',
      needs: ['housing', 're-entry'],
      openedBy: 'coordinator-1',
      cadence: ['PT24H', 'PT72H', 'P7D', 'P7D'],
    });
    const events = await outbox(res.body.id);
    expect(events).toEqual([
      {
        type: 'cit.case.opened.v1',
        data: expect.objectContaining({
          source: 're-entry',
          incidentIds: [],
          contactPreference: { doNotContact: false },
        }),
      },
    ]);
    expect(await audit(res.body.id)).toEqual([
      expect.objectContaining({ action: 'create', record_type: 'case', actor_subject: 'coordinator-1' }),
    ]);

    const again = await open('coordinator', { personId: person, source: 'manual', riskLevel: 'urgent' }).expect(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body.detail).toContain('personId');
    expect(again.body.detail).toContain(res.body.id);
  });

  it('opens a case by hand from incidents triage knows in the department', async () => {
    const incidentId = 'inc_0000000000000000000000000000c0de';
    await t.db.ownerDataSource.query(
      `INSERT INTO triage_intake (incident_id, department_id, source_event_id, correlation_id, call_type, bh_related_to,
         subject_count, occurred_at)
       VALUES ($1, 'dept-a', gen_random_uuid(), 'cor-1', 'welfare-check', 'mental-health', 1, now())`,
      [incidentId],
    );
    const { body: c } = await open('coordinator', {
      personId: personId(),
      source: 'manual',
      riskLevel: 'urgent',
      incidentIds: [incidentId],
    }).expect(201);
    expect((await outbox(c.id))[0].data).toMatchObject({ incidentIds: [incidentId], source: 'manual' });
    const other = await open('otherCoordinator', {
      personId: personId(),
      source: 'manual',
      riskLevel: 'urgent',
      incidentIds: [incidentId],
    }).expect(400);
    expect(other.body.errors).toEqual([{ field: 'incidentIds.0', detail: 'no such incident in the department' }]);
  });

  it('logs outreach contacts (notes encrypted), moves an open case in contact when the person is reached, and shows the history', async () => {
    const { body: c } = await open('coordinator', {
      personId: personId(),
      source: 'manual',
      riskLevel: 'urgent',
    }).expect(201);
    const attempted = await http()
      .post(`/v1/cases/${c.id}/contacts`)
      .set(as('coordinator'))
      .send({ outcome: 'attempted', channel: 'phone' })
      .expect(201);
    expect(attempted.body.caseStatus).toBe('open');
    const made = await http()
      .post(`/v1/cases/${c.id}/contacts`)
      .set(as('officer'))
      .send({
        outcome: 'made',
        channel: 'in-person-with-officer',
        contactedAt: '2026-11-28T10:30:00-05:00',
        notes: 'Agreed to see the clinician on Tuesday',
      })
      .expect(201);
    expect(made.body).toMatchObject({ caseStatus: 'in-contact', contactedBy: 'officer-1', preferenceFlags: [] });

    const [stored] = await t.db.ownerDataSource.query('SELECT notes_ciphertext FROM case_contact WHERE id = $1', [
      made.body.id,
    ]);
    expect(stored.notes_ciphertext).toMatch(/^enc:v2:/);
    expect(stored.notes_ciphertext).not.toContain('clinician');

    const got = await http().get(`/v1/cases/${c.id}`).set(as('clinician')).expect(200);
    expect(got.body).toMatchObject({
      status: 'in-contact',
      lastContactAt: '2026-11-28T15:30:00.000Z',
      statusHistory: [
        { to: 'open', by: 'coordinator-1' },
        { from: 'open', to: 'in-contact', by: 'officer-1' },
      ],
    });
    expect(got.body.contacts.map((x: { outcome: string; notes?: string }) => [x.outcome, x.notes])).toEqual([
      ['made', 'Agreed to see the clinician on Tuesday'],
      ['attempted', undefined],
    ]);

    const events = await outbox(c.id);
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'cit.case.opened.v1',
      'cit.case.updated.v1',
      'cit.case.updated.v1',
    ]);
    expect(events[2].data).toMatchObject({
      status: 'in-contact',
      previousStatus: 'open',
      lastContactAt: '2026-11-28T15:30:00.000Z',
      contactLogged: {
        contactId: made.body.id,
        outcome: 'made',
        channel: 'in-person-with-officer',
        contactedAt: '2026-11-28T15:30:00.000Z',
        contactedBy: 'officer-1',
      },
      changedFields: ['contacts', 'status', 'lastContactAt'],
    });
    expect(JSON.stringify(events)).not.toContain('clinician on Tuesday');
    expect((await audit(made.body.id))[0]).toMatchObject({ action: 'create', fields: ['outcome', 'channel', 'notes'] });
    expect((await audit(c.id)).map((e: { action: string }) => e.action)).toEqual(['create', 'read']);
  });

  it('enforces the status machine: 409 listing the allowed statuses, nothing changed; a closing status emits case.closed', async () => {
    const { body: c } = await open('coordinator', {
      personId: personId(),
      source: 'manual',
      riskLevel: 'routine',
    }).expect(201);
    const refused = await http()
      .post(`/v1/cases/${c.id}/status`)
      .set(as('coordinator'))
      .send({ status: 'stabilized' })
      .expect(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.detail).toBe(
      'status: a case that is open cannot become stabilized; allowed: in-contact, closed-no-contact, transferred',
    );
    expect(refused.body.allowed).toEqual(['in-contact', 'closed-no-contact', 'transferred']);
    expect((await http().get(`/v1/cases/${c.id}`).set(as('coordinator'))).body).toMatchObject({
      status: 'open',
      version: 1,
    });

    await http().post(`/v1/cases/${c.id}/status`).set(as('coordinator')).send({ status: 'in-contact' }).expect(200);
    const closed = await http()
      .post(`/v1/cases/${c.id}/status`)
      .set(as('supervisor'))
      .send({ status: 'connected-to-long-term-services' })
      .expect(200);
    expect(closed.body).toMatchObject({ status: 'connected-to-long-term-services', closedBy: 'supervisor-1' });
    const events = await outbox(c.id);
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'cit.case.opened.v1',
      'cit.case.updated.v1',
      'cit.case.closed.v1',
    ]);
    expect(events[2].data).toMatchObject({
      outcome: 'connected-to-long-term-services',
      previousStatus: 'in-contact',
      closedBy: 'supervisor-1',
    });

    const after = await http()
      .post(`/v1/cases/${c.id}/status`)
      .set(as('coordinator'))
      .send({ status: 'in-contact' })
      .expect(409);
    expect(after.body.detail).toContain('allowed: none (the case is closed)');
    await http()
      .post(`/v1/cases/${c.id}/contacts`)
      .set(as('coordinator'))
      .send({ outcome: 'attempted', channel: 'phone' })
      .expect(409);
    expect(await outbox(c.id)).toHaveLength(3);
  });

  it('assigns the coordinator of an active case (announced to follow-up; same assignee again changes nothing)', async () => {
    const { body: c } = await open('coordinator', {
      personId: personId(),
      source: 'manual',
      riskLevel: 'routine',
    }).expect(201);
    const assigned = await http()
      .post(`/v1/cases/${c.id}/assignment`)
      .set(as('supervisor'))
      .send({ assignedTo: 'stf_coord7', expectedVersion: 1 })
      .expect(200);
    expect(assigned.body).toMatchObject({ assignedTo: 'stf_coord7', version: 2 });
    await http()
      .post(`/v1/cases/${c.id}/assignment`)
      .set(as('supervisor'))
      .send({ assignedTo: 'stf_coord7' })
      .expect(200);
    const stale = await http()
      .post(`/v1/cases/${c.id}/assignment`)
      .set(as('supervisor'))
      .send({ assignedTo: 'stf_coord8', expectedVersion: 1 })
      .expect(409);
    expect(stale.body.detail).toContain('expectedVersion');
    await http().post(`/v1/cases/${c.id}/assignment`).set(as('clinician')).send({ assignedTo: null }).expect(403);
    const events = await outbox(c.id);
    expect(events.map((e: { type: string }) => e.type)).toEqual(['cit.case.opened.v1', 'cit.case.updated.v1']);
    expect(events[1].data).toMatchObject({
      assignedTo: 'stf_coord7',
      changedFields: ['assignedTo'],
      updatedBy: 'supervisor-1',
    });
  });

  it('refuses bad input naming the field and stores nothing', async () => {
    const person = personId();
    for (const [body, field] of [
      [{ personId: person, source: 'walk-in', riskLevel: 'routine' }, 'source'],
      [{ personId: person, source: 'manual', riskLevel: 'severe' }, 'riskLevel'],
      [{ personId: person, source: 'manual', riskLevel: 'routine', needs: ['housing', 'housing'] }, 'needs'],
      [{ personId: 'bad id!', source: 'manual', riskLevel: 'routine' }, 'personId'],
      [{ personId: person, source: 'manual', riskLevel: 'routine', surprise: 1 }, 'surprise'],
      [
        {
          personId: person,
          source: 'manual',
          riskLevel: 'routine',
          incidentIds: ['inc_00000000000000000000000000000bad'],
        },
        'incidentIds.0',
      ],
    ] as const) {
      const res = await open('coordinator', body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const { body: c } = await open('coordinator', { personId: person, source: 'manual', riskLevel: 'routine' }).expect(
      201,
    );
    for (const [body, field] of [
      [{ outcome: 'maybe', channel: 'phone' }, 'outcome'],
      [{ outcome: 'made', channel: 'carrier-pigeon' }, 'channel'],
      [{ outcome: 'made', channel: 'phone', contactedAt: '2999-01-01T00:00:00Z' }, 'contactedAt'],
    ] as const) {
      const res = await http().post(`/v1/cases/${c.id}/contacts`).set(as('coordinator')).send(body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const res = await http()
      .post(`/v1/cases/${c.id}/status`)
      .set(as('coordinator'))
      .send({ status: 'in-contact', transferredToAgencyId: 'agency-1' })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('transferredToAgencyId');
    for (const notes of ['before\u0000after', 'before\uD800after']) {
      const nul = await http()
        .post(`/v1/cases/${c.id}/contacts`)
        .set(as('coordinator'))
        .send({ outcome: 'made', channel: 'phone', notes })
        .expect(400);
      expect(nul.headers['content-type']).toContain('application/problem+json');
      expect(nul.body.errors.map((e: { field: string }) => e.field)).toContain('notes');
    }
    const [{ count }] = await t.db.ownerDataSource.query(
      'SELECT count(*)::int AS count FROM case_contact WHERE case_id = $1',
      [c.id],
    );
    expect(count).toBe(0);
    expect((await http().get(`/v1/cases/${c.id}`).set(as('coordinator'))).body).toMatchObject({ version: 1 });
    await http().get('/v1/cases/case_nothex').set(as('coordinator')).expect(404);
  });

  it('keeps departments apart: another department’s case is 404 everywhere and unchanged', async () => {
    const { body: c } = await open('coordinator', {
      personId: personId(),
      source: 'manual',
      riskLevel: 'routine',
    }).expect(201);
    await http().get(`/v1/cases/${c.id}`).set(as('otherCoordinator')).expect(404);
    await http()
      .post(`/v1/cases/${c.id}/contacts`)
      .set(as('otherCoordinator'))
      .send({ outcome: 'made', channel: 'phone' })
      .expect(404);
    await http()
      .post(`/v1/cases/${c.id}/status`)
      .set(as('otherCoordinator'))
      .send({ status: 'in-contact' })
      .expect(404);
    const list = await http().get('/v1/cases').set(as('otherCoordinator')).expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(c.id);
    expect((await http().get(`/v1/cases/${c.id}`).set(as('coordinator'))).body).toMatchObject({
      status: 'open',
      version: 1,
    });
    expect(await outbox(c.id)).toHaveLength(1);
  });

  it('lists newest first with cursor paging and filters', async () => {
    const person = personId();
    const { body: c } = await open('coordinator', { personId: person, source: 'manual', riskLevel: 'routine' }).expect(
      201,
    );
    const byPerson = await http().get('/v1/cases').query({ personId: person }).set(as('coordinator')).expect(200);
    expect(byPerson.body).toEqual({ items: [expect.objectContaining({ id: c.id })], nextCursor: null });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await http()
        .get('/v1/cases')
        .query({ limit: 2, status: 'active', ...(cursor ? { cursor } : {}) })
        .set(as('coordinator'))
        .expect(200);
      seen.push(...page.body.items.map((x: { id: string }) => x.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const [{ count }] = await t.db.ownerDataSource.query(
      `SELECT count(*)::int AS count FROM care_case WHERE department_id = 'dept-a' AND status IN ('open', 'in-contact')`,
    );
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
    const bad = await http().get('/v1/cases').query({ cursor: 'nope' }).set(as('coordinator')).expect(400);
    expect(bad.body.errors[0].field).toBe('cursor');
  });

  it('documents every case route in the OpenAPI document', async () => {
    const doc = await http().get('/docs-json').expect(200);
    const paths = Object.keys(doc.body.paths);
    for (const p of [
      '/v1/cases',
      '/v1/cases/{id}',
      '/v1/cases/{id}/contacts',
      '/v1/cases/{id}/status',
      '/v1/cases/{id}/assignment',
      '/v1/cases/{id}/diversion-plan',
    ])
      expect(paths).toContain(p);
    expect(Object.keys(doc.body.paths['/v1/cases/{id}/diversion-plan'])).toEqual(['get', 'put']);
  });

  describe('diversion plans', () => {
    const plan = {
      treatmentGoals: ['Weekly counseling at the CBHC'],
      chargeRecommendation: { action: 'hold', rationale: 'Engaged in treatment' },
    };

    it('need the department’s diversion program; officers and supervisors only; stored encrypted and versioned', async () => {
      const { body: c } = await open('coordinator', {
        personId: personId(),
        source: 'manual',
        riskLevel: 'urgent',
      }).expect(201);
      const off = await http().put(`/v1/cases/${c.id}/diversion-plan`).set(as('officer')).send(plan).expect(409);
      expect(off.body.detail).toContain('diversionProgram');

      await t.db.ownerDataSource.query(
        `INSERT INTO program_settings (department_id, settings, version, updated_by)
         VALUES ('dept-a', $1::jsonb, 1, 'admin-1')`,
        [
          JSON.stringify({
            ...(await import('../program/program-settings')).DEFAULT_PROGRAM_SETTINGS,
            diversionProgram: true,
          }),
        ],
      );
      const written = await http()
        .put(`/v1/cases/${c.id}/diversion-plan`)
        .set(as('officer'))
        .send({ ...plan, expectedVersion: 0 })
        .expect(200);
      expect(written.body).toMatchObject({ version: 1, ...plan, writtenBy: 'officer-1' });
      await http()
        .put(`/v1/cases/${c.id}/diversion-plan`)
        .set(as('supervisor'))
        .send({
          ...plan,
          chargeRecommendation: { action: 'reduce', rationale: 'Completed program' },
          expectedVersion: 1,
        })
        .expect(200);
      const read = await http().get(`/v1/cases/${c.id}/diversion-plan`).set(as('officer')).expect(200);
      expect(read.body).toMatchObject({ version: 2, chargeRecommendation: { action: 'reduce' } });

      for (const who of ['clinician', 'coordinator', 'admin']) {
        await http().get(`/v1/cases/${c.id}/diversion-plan`).set(as(who)).expect(403);
        await http().put(`/v1/cases/${c.id}/diversion-plan`).set(as(who)).send(plan).expect(403);
      }
      const rows = await t.db.ownerDataSource.query(
        'SELECT treatment_goals_ciphertext AS g, charge_recommendation_ciphertext AS r FROM diversion_plan WHERE case_id = $1',
        [c.id],
      );
      expect(rows).toHaveLength(2);
      for (const r of rows) {
        expect(r.g).toMatch(/^enc:v2:/);
        expect(`${r.g}${r.r}`).not.toMatch(/counseling|treatment|hold|reduce/i);
      }
      expect((await audit(c.id)).filter((e: { record_type: string }) => e.record_type === 'diversion-plan')).toEqual([
        expect.objectContaining({ action: 'update', actor_subject: 'officer-1' }),
        expect.objectContaining({ action: 'update', actor_subject: 'supervisor-1' }),
        expect.objectContaining({ action: 'read', actor_subject: 'officer-1' }),
      ]);
    });
  });
});
