import { tenantTransaction } from '@cit/persistence';
import { waitFor } from '@cit/testing';
import request from 'supertest';
import { AgendaScheduler } from '../agenda/agenda-scheduler';
import { AgendaFixtures } from '../agenda/testing/agenda-fixtures';
import { startConferenceTestApp, type ConferenceTestApp } from '../testing/conference-test-app';

// Outcomes, action items and attendance on the real database and outbox.
describe('conference outcomes and attendance', () => {
  let t: ConferenceTestApp;
  let departments = 0;
  const http = () => request(t.url);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

  beforeAll(async () => {
    process.env.CONFERENCE_AGENDA_SWEEP_INTERVAL_MS = '0';
    t = await startConferenceTestApp('conference_outcomes');
  });
  afterAll(() => t?.close());

  const department = () => {
    const dept = `dept-outcome-${++departments}-${t.run}`;
    return { dept, fx: new AgendaFixtures(t.db.ownerDataSource, dept) };
  };
  const place = (dept: string) =>
    tenantTransaction(t.db.dataSource, dept, (em) =>
      t.app.get(AgendaScheduler).placeOpenNominations(em, { departmentId: dept, correlationId: `cor-${t.run}` }),
    );
  const nominationRow = async (dept: string, id: string) =>
    (
      await t.db.ownerDataSource.query(
        `SELECT status, closed_status, privacy_stage FROM nomination WHERE department_id = $1 AND id = $2`,
        [dept, id],
      )
    )[0];

  describe('a case at acutely elevated risk', () => {
    const agencies = { lead: '', assisting: '', notSelected: '' };
    let dept: string;
    let fx: AgendaFixtures;
    let s1: string;
    let s2: string;
    let nom: string;
    let coordinator: string;
    const outcomeUrl = (session: string) => `/v1/sessions/${session}/cases/${nom}/outcome`;
    const outcomeRows = async () =>
      t.db.ownerDataSource.query(`SELECT id, session_id, status FROM conference_outcome WHERE department_id = $1`, [
        dept,
      ]);

    beforeAll(async () => {
      ({ dept, fx } = department());
      agencies.lead = `ag-lead-${t.run}`;
      agencies.assisting = `ag-assist-${t.run}`;
      agencies.notSelected = `ag-other-${t.run}`;
      const series = await fx.series({ capacity: 3, members: Object.values(agencies) });
      s1 = await fx.session(series, 7);
      s2 = await fx.session(series, 14);
      nom = await fx.nomination('imminent', { personId: 'per_0000000000000000000000000000b001' });
      await place(dept);
      await fx.acutelyElevated(nom, s1, [agencies.lead, agencies.assisting]);
      coordinator = await t.token('coordinator', dept);
    });

    it('refuses agencies the table did not select, naming the field, and changes nothing', async () => {
      const res = await http()
        .post(outcomeUrl(s1))
        .set(bearer(coordinator))
        .send({
          status: 'carry-over',
          leadAgencyId: agencies.lead,
          assistingAgencyIds: [agencies.assisting, agencies.notSelected],
          actionItems: [{ ownerAgencyId: agencies.notSelected, kind: 'other', description: 'x', dueAt: inDays(3) }],
        })
        .expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'assistingAgencyIds.1',
        'actionItems.0.ownerAgencyId',
      ]);
      expect(await outcomeRows()).toEqual([]);
      expect((await fx.agenda(s1))[0]).toMatchObject({ nomination_id: nom, status: 'scheduled' });
      expect(
        await t.outbox('cit.conference.outcome-recorded.v1').then((e) => e.filter((x) => x.departmentId === dept)),
      ).toEqual([]);
    });

    it('records a carry-over: the event carries the action items, the case comes back as a status update', async () => {
      const description = 'Home visit with the housing worker for Dana';
      const res = await http()
        .post(outcomeUrl(s1))
        .set(bearer(coordinator))
        .send({
          status: 'carry-over',
          leadAgencyId: agencies.lead,
          assistingAgencyIds: [agencies.assisting],
          actionItems: [
            { ownerAgencyId: agencies.lead, kind: 'home-visit', description, dueAt: inDays(3) },
            {
              ownerAgencyId: agencies.assisting,
              kind: 'service-connection',
              description: 'Intake call',
              dueAt: inDays(5),
            },
          ],
        })
        .expect(201);
      expect(res.body).toMatchObject({
        sessionId: s1,
        nominationId: nom,
        decision: 'acutely-elevated-risk',
        status: 'carry-over',
        leadAgencyId: agencies.lead,
        assistingAgencyIds: [agencies.assisting],
      });
      expect(res.body.actionItems).toHaveLength(2);

      const [event] = (await t.outbox('cit.conference.outcome-recorded.v1')).filter((e) => e.departmentId === dept);
      expect(event!.subject).toBe(s1);
      expect(event!.data).toMatchObject({
        sessionId: s1,
        caseId: nom,
        nominationId: nom,
        decision: 'acutely-elevated-risk',
        status: 'carry-over',
        leadAgencyId: agencies.lead,
        assistingAgencyIds: [agencies.assisting],
      });
      expect(event!.data.actionItems).toEqual(
        res.body.actionItems.map((a: { id: string; ownerAgencyId: string; dueAt: string; kind: string }) => ({
          actionItemId: a.id,
          ownerAgencyId: a.ownerAgencyId,
          dueAt: a.dueAt,
          kind: a.kind,
        })),
      );
      expect(JSON.stringify(event)).not.toContain('Dana');
      // The relay delivers it to the broker, keyed by the session (what followup consumes).
      const sink = await t.collect('cit.conference.v1');
      const delivered = await waitFor(
        'outcome-recorded on cit.conference.v1',
        () => sink.messages.find((m) => m.key === s1 && m.value.includes('"cit.conference.outcome-recorded.v1"')),
        { timeoutMs: 60_000 },
      );
      expect(JSON.parse(delivered.value).data.actionItems).toHaveLength(2);
      // The description is stored encrypted.
      const stored = await t.db.ownerDataSource.query(
        `SELECT description_ciphertext FROM action_item WHERE department_id = $1`,
        [dept],
      );
      expect(JSON.stringify(stored)).not.toContain('Dana');

      expect(await nominationRow(dept, nom)).toMatchObject({ status: 'open', privacy_stage: 'planning' });
      // Filters 3 and 4 recorded: the planning agencies' disclosures and the steps.
      const disclosures = await t.db.ownerDataSource.query(
        `SELECT agency_id, role FROM identity_disclosure WHERE department_id = $1 AND role <> 'selected' ORDER BY role`,
        [dept],
      );
      expect(disclosures).toEqual([
        { agency_id: agencies.assisting, role: 'assisting' },
        { agency_id: agencies.lead, role: 'lead' },
      ]);
      const steps = await t.db.ownerDataSource.query(
        `SELECT filter, action FROM privacy_step WHERE department_id = $1 ORDER BY filter`,
        [dept],
      );
      expect(steps).toEqual([
        { filter: 3, action: 'lead-assigned' },
        { filter: 4, action: 'assisting-assigned' },
      ]);
      expect((await fx.agenda(s1))[0]).toMatchObject({ status: 'discussed' });
      expect(await fx.agenda(s2)).toEqual([expect.objectContaining({ nomination_id: nom, kind: 'status-update' })]);
      const scheduled = (await t.outbox('cit.conference.case-scheduled.v1')).filter(
        (e) => e.departmentId === dept && e.data.sessionId === s2,
      );
      expect(scheduled.map((e) => e.data)).toEqual([
        expect.objectContaining({ nominationId: nom, kind: 'status-update', identityLevel: 'limited-identity' }),
      ]);
    });

    it('a second outcome for the same session and case is 409', async () => {
      const res = await http()
        .post(outcomeUrl(s1))
        .set(bearer(coordinator))
        .send({ status: 'refused', leadAgencyId: agencies.lead })
        .expect(409);
      expect(res.body.type).toMatch(/conflict/);
      expect(await outcomeRows()).toHaveLength(1);
      expect(await nominationRow(dept, nom)).toMatchObject({ status: 'open' });
    });

    it('a closing outcome at the next session closes the nomination; it does not come back', async () => {
      await http()
        .post(outcomeUrl(s2))
        .set(bearer(coordinator))
        .send({ status: 'connected-to-services', leadAgencyId: agencies.lead })
        .expect(201);
      expect(await nominationRow(dept, nom)).toMatchObject({
        status: 'closed',
        closed_status: 'connected-to-services',
      });
      await fx.session(
        (await t.db.ownerDataSource.query(`SELECT series_id FROM conference_session WHERE id = $1`, [s1]))[0].series_id,
        21,
      );
      expect(await place(dept)).toEqual({ placed: 0, unplaced: 0 });
    });

    it('lists outcomes to staff and to the planning agencies only; action items are completed by their owner', async () => {
      const staff = await http().get(`/v1/nominations/${nom}/outcomes`).set(bearer(coordinator)).expect(200);
      expect(staff.body.items.map((o: { sessionId: string; status: string }) => [o.sessionId, o.status])).toEqual([
        [s1, 'carry-over'],
        [s2, 'connected-to-services'],
      ]);
      expect(staff.body.items[0].actionItems[0].description).toBe('Home visit with the housing worker for Dana');
      const lead = await http()
        .get(`/v1/nominations/${nom}/outcomes`)
        .set(bearer(await t.partnerToken(agencies.lead, dept)))
        .expect(200);
      expect(lead.body.items).toHaveLength(2);
      await http()
        .get(`/v1/nominations/${nom}/outcomes`)
        .set(bearer(await t.partnerToken(agencies.notSelected, dept)))
        .expect(404);

      const item = staff.body.items[0].actionItems.find(
        (a: { ownerAgencyId: string }) => a.ownerAgencyId === agencies.lead,
      );
      await http()
        .post(`/v1/action-items/${item.id}/complete`)
        .set(bearer(await t.partnerToken(agencies.assisting, dept)))
        .expect(404);
      const done = await http()
        .post(`/v1/action-items/${item.id}/complete`)
        .set(bearer(await t.partnerToken(agencies.lead, dept)))
        .expect(200);
      expect(done.body).toMatchObject({ id: item.id, status: 'completed', completedBy: `agency:${agencies.lead}` });
      await http()
        .post(`/v1/action-items/${item.id}/complete`)
        .set(bearer(await t.partnerToken(agencies.lead, dept)))
        .expect(409);
      // One closed event (the refused and the repeated attempts wrote none), keyed by the item's
      // session like the outcome-recorded event that created it: followup stops its reminder.
      const closed = (await t.outbox('cit.conference.action-item-closed.v1')).filter((e) => e.departmentId === dept);
      expect(closed).toEqual([
        {
          type: 'cit.conference.action-item-closed.v1',
          subject: s1,
          departmentId: dept,
          data: {
            sessionId: s1,
            actionItemId: item.id,
            outcomeId: staff.body.items[0].id,
            nominationId: nom,
            caseId: nom,
            ownerAgencyId: agencies.lead,
            resolution: 'completed',
            closedAt: done.body.completedAt,
          },
        },
      ]);
    });

    it('withdrawing the nomination cancels its open action items, one closed event each; done ones stay done', async () => {
      // The nomination above closed; a second one is carried over with two items, one done.
      const nom2 = await fx.nomination('urgent', { personId: 'per_0000000000000000000000000000b002' });
      await place(dept);
      const [slot] = (
        await t.db.ownerDataSource.query(
          `SELECT session_id FROM agenda_item WHERE department_id = $1 AND nomination_id = $2 AND status = 'scheduled'`,
          [dept, nom2],
        )
      ).map((r: { session_id: string }) => r.session_id);
      await fx.acutelyElevated(nom2, slot, [agencies.lead, agencies.assisting]);
      const outcome = await http()
        .post(`/v1/sessions/${slot}/cases/${nom2}/outcome`)
        .set(bearer(coordinator))
        .send({
          status: 'carry-over',
          leadAgencyId: agencies.lead,
          assistingAgencyIds: [agencies.assisting],
          actionItems: [
            { ownerAgencyId: agencies.lead, kind: 'contact-person', description: 'Call', dueAt: inDays(2) },
            { ownerAgencyId: agencies.assisting, kind: 'report-back', description: 'Report', dueAt: inDays(4) },
          ],
        })
        .expect(201);
      const [doneItem, openItem] = outcome.body.actionItems as Array<{ id: string }>;
      await http().post(`/v1/action-items/${doneItem!.id}/complete`).set(bearer(coordinator)).expect(200);
      const closedOf = async () =>
        (await t.outbox('cit.conference.action-item-closed.v1')).filter(
          (e) => e.departmentId === dept && e.data.nominationId === nom2,
        );
      expect((await closedOf()).map((e) => [e.data.actionItemId, e.data.resolution])).toEqual([
        [doneItem!.id, 'completed'],
      ]);

      await http()
        .post(`/v1/nominations/${nom2}/withdraw`)
        .set(bearer(coordinator))
        .send({ reason: 'person-moved' })
        .expect(200);
      const closed = await closedOf();
      expect(closed.map((e) => [e.subject, e.data.actionItemId, e.data.resolution])).toEqual([
        [slot, doneItem!.id, 'completed'],
        [slot, openItem!.id, 'cancelled'],
      ]);
      const items = await t.db.ownerDataSource.query(
        `SELECT id, status, completed_at IS NOT NULL AS completed, cancelled_at IS NOT NULL AS cancelled
           FROM action_item WHERE department_id = $1 AND nomination_id = $2 ORDER BY due_at`,
        [dept, nom2],
      );
      expect(items).toEqual([
        { id: doneItem!.id, status: 'completed', completed: true, cancelled: false },
        { id: openItem!.id, status: 'cancelled', completed: false, cancelled: true },
      ]);
      const cancelled = await http()
        .post(`/v1/action-items/${openItem!.id}/complete`)
        .set(bearer(await t.partnerToken(agencies.assisting, dept)))
        .expect(409);
      expect(cancelled.body.detail).toMatch(/cancelled/);
      expect(await closedOf()).toHaveLength(2);
      const listed = await http().get(`/v1/nominations/${nom2}/outcomes`).set(bearer(coordinator)).expect(200);
      expect(listed.body.items[0].actionItems.map((a: { status: string }) => a.status)).toEqual([
        'completed',
        'cancelled',
      ]);
    });
  });

  it('refuses an outcome before the table found the risk acutely elevated (409, nothing written)', async () => {
    const { dept, fx } = department();
    const series = await fx.series({ capacity: 2, members: [`ag-a-${t.run}`] });
    const s1 = await fx.session(series, 7);
    const nom = await fx.nomination('urgent');
    await place(dept);
    await http()
      .post(`/v1/sessions/${s1}/cases/${nom}/outcome`)
      .set(bearer(await t.token('coordinator', dept)))
      .send({ status: 'risk-mitigated', leadAgencyId: `ag-a-${t.run}` })
      .expect(409);
    expect(await nominationRow(dept, nom)).toMatchObject({ status: 'open', privacy_stage: 'de-identified' });
  });

  describe('attendance and the cross-training roster', () => {
    it('records attendance for any kind; training only at cross-trainings; the roster keeps the latest per person', async () => {
      const { dept, fx } = department();
      const chair = `ag-chair-${t.run}`;
      const member = `ag-member-${t.run}`;
      const training = await fx.series({ kind: 'cross-training', capacity: 0, members: [chair, member] });
      const hub = await fx.series({ kind: 'hub', capacity: 2, members: [chair, member] });
      const older = await fx.session(training, -30, { capacity: 0 });
      const newer = await fx.session(training, -2, { capacity: 0 });
      const hubSession = await fx.session(hub, -1);
      const coordinator = await t.token('coordinator', dept);
      const put = (session: string, token: string, attendees: unknown[]) =>
        http().put(`/v1/sessions/${session}/attendance`).set(bearer(token)).send({ attendees });

      await put(older, coordinator, [
        { kind: 'officer', id: 'badge-1', name: 'Ofc. Diaz', present: true, training: { completed: true, hours: 8 } },
        { kind: 'officer', id: 'badge-2', name: 'Ofc. Park', present: true, training: { completed: true, hours: 8 } },
      ]).expect(200);
      const rec = await put(newer, await t.partnerToken(chair, dept), [
        { kind: 'officer', id: 'badge-1', name: 'Ofc. Diaz', present: true, training: { completed: true, hours: 4 } },
        { kind: 'officer', id: 'badge-3', present: false, training: { completed: false, hours: 0 } },
        {
          kind: 'provider-staff',
          id: 'emp-9',
          name: 'L. Chen',
          agencyId: member,
          present: true,
          training: { completed: true, hours: 4.5 },
        },
        { kind: 'agency-representative', id: 'rep-1', agencyId: member, present: true },
      ]).expect(200);
      expect(rec.body.attendees).toHaveLength(4);

      // A member that is not the chair may read but not record; a non-member sees nothing.
      await put(newer, await t.partnerToken(member, dept), []).expect(403);
      await put(newer, await t.partnerToken(`ag-none-${t.run}`, dept), []).expect(404);
      await put(hubSession, coordinator, [
        { kind: 'agency-representative', id: 'rep-1', agencyId: chair, present: true },
      ]).expect(200);

      const bad = await put(hubSession, coordinator, [
        { kind: 'officer', id: 'badge-1', present: true, training: { completed: true, hours: 2 } },
        { kind: 'agency-representative', id: 'rep-2', agencyId: `ag-none-${t.run}`, present: true },
      ]).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'attendees.0.training',
        'attendees.1.agencyId',
      ]);
      // The refused list changed nothing.
      const hubRead = await http().get(`/v1/sessions/${hubSession}/attendance`).set(bearer(coordinator)).expect(200);
      expect(hubRead.body.attendees).toEqual([
        { kind: 'agency-representative', id: 'rep-1', name: null, agencyId: chair, present: true },
      ]);

      const read = await http()
        .get(`/v1/sessions/${newer}/attendance`)
        .set(bearer(await t.partnerToken(member, dept)))
        .expect(200);
      expect(read.body.attendees.find((a: { id: string }) => a.id === 'emp-9')).toMatchObject({
        kind: 'provider-staff',
        present: true,
        training: { completed: true, hours: 4.5 },
      });

      const officers = await http().get('/v1/training/roster?traineeKind=officer').set(bearer(coordinator)).expect(200);
      expect(
        officers.body.items.map(
          (r: { id: string; lastSessionId: string; lastHours: number; trainings: number; totalHours: number }) => [
            r.id,
            r.lastSessionId,
            r.lastHours,
            r.trainings,
            r.totalHours,
          ],
        ),
      ).toEqual([
        ['badge-1', newer, 4, 2, 12],
        ['badge-2', older, 8, 1, 8],
      ]);
      const since = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
      const recent = await http()
        .get(`/v1/training/roster?traineeKind=officer&since=${since}`)
        .set(bearer(coordinator))
        .expect(200);
      expect(recent.body.items.map((r: { id: string }) => r.id)).toEqual(['badge-1']);
      const staff = await http()
        .get('/v1/training/roster?traineeKind=provider-staff')
        .set(bearer(coordinator))
        .expect(200);
      expect(staff.body.items).toEqual([expect.objectContaining({ id: 'emp-9', name: 'L. Chen', agencyId: member })]);
      const invalid = await http().get('/v1/training/roster?traineeKind=dog').set(bearer(coordinator)).expect(400);
      expect(invalid.body.errors[0].field).toBe('traineeKind');
    });
  });

  it('documents the agenda, outcome and attendance routes at /docs-json', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    for (const [path, method] of [
      ['/v1/sessions/{sessionId}/agenda', 'get'],
      ['/v1/sessions/{sessionId}/cases/{nominationId}/outcome', 'post'],
      ['/v1/nominations/{nominationId}/outcomes', 'get'],
      ['/v1/action-items/{actionItemId}/complete', 'post'],
      ['/v1/sessions/{sessionId}/attendance', 'put'],
      ['/v1/sessions/{sessionId}/attendance', 'get'],
      ['/v1/training/roster', 'get'],
    ] as const)
      expect({ path, method, documented: Boolean(doc.paths[path]?.[method]) }).toEqual({
        path,
        method,
        documented: true,
      });
    const outcome = doc.paths['/v1/sessions/{sessionId}/cases/{nominationId}/outcome']!.post as {
      requestBody?: unknown;
    };
    expect(outcome.requestBody).toBeDefined();
  });
});
