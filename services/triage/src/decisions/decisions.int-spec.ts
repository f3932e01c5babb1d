import { randomUUID } from 'node:crypto';
import { triageCompletedData, conferenceNominationRequestedData } from '@cit/contracts';
import { waitFor as waitForWithin } from '@cit/testing';
import request from 'supertest';
import { startTriageTestApp, type TriageTestApp } from '../testing/triage-test-app';
import { IncidentPublisher, reclassifiedEvent, reportedData, reportedEvent } from '../testing/incident-events';

/**
 * Triage decisions end to end inside triage: events on the real broker, consumed through the
 * inbox, decisions, cases and cit.triage.completed.v1 in the outbox of the real database.
 */
jest.setTimeout(240_000);

describe('triage decisions (real broker and PostgreSQL)', () => {
  let t: TriageTestApp;
  let publisher: IncidentPublisher;
  const run = randomUUID().slice(0, 8);
  const dept = `dept-dec-${run}`;
  const other = `dept-oth-${run}`;
  const tokens: Record<string, string> = {};
  const http = () => request(t.url);
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const owner = () => t.db.ownerDataSource;
  // The machine is shared and the topic carries every suite's incidents: generous waits.
  const waitFor = <T>(what: string, check: () => Promise<T | undefined | false>) =>
    waitForWithin(what, check, { timeoutMs: 90_000 });

  const decisions = (incidentId: string) =>
    owner().query(
      `SELECT id, department_id, status, risk_level, pathways, ruleset_version, fired, supersedes_id, superseded_by_id,
              supersede_reason, case_id, review_reason, reason_ciphertext, consulted_by
         FROM triage_decision WHERE incident_id = $1 ORDER BY decided_at, id`,
      [incidentId],
    );
  const completed = async (incidentId: string) =>
    (
      (await owner().query(
        `SELECT payload FROM outbox WHERE event_type = 'cit.triage.completed.v1' AND message_key = $1 ORDER BY seq`,
        [incidentId],
      )) as { payload: { data: unknown; departmentid: string } }[]
    ).map((r) => ({ ...triageCompletedData.parse(r.payload.data), departmentId: r.payload.departmentid }));
  const inboxCount = async () => Number((await owner().query(`SELECT count(*)::int AS n FROM inbox`))[0].n);

  async function putProgram(token: string, patch: object) {
    const current = (
      await http()
        .get('/v1/program')
        .set({ authorization: `Bearer ${token}` })
        .expect(200)
    ).body;
    const {
      departmentId: _d,
      effects: _e,
      version,
      isDefault: _i,
      updatedBy: _u,
      updatedAt: _a,
      ...settings
    } = current;
    await http()
      .put('/v1/program')
      .set({ authorization: `Bearer ${token}` })
      .send({ ...settings, ...patch, expectedVersion: version })
      .expect(200);
  }

  beforeAll(async () => {
    t = await startTriageTestApp('triage_decisions', { consume: true });
    publisher = new IncidentPublisher();
    await publisher.connect();
    for (const [who, role, d] of [
      ['admin', 'admin', dept],
      ['supervisor', 'supervisor', dept],
      ['clinician', 'clinician', dept],
      ['coordinator', 'coordinator', dept],
      ['otherAdmin', 'admin', other],
      ['otherSupervisor', 'supervisor', other],
    ] as const)
      tokens[who] = await t.token(role, d);
    // The consumer joined its group and reads from the end of the topic before anything is published.
    await waitFor('triage ready', async () => (await fetch(`${t.url}/health/ready`)).status === 200);
    // Until every partition has delivered one event, a partition's start offset may still be unresolved.
    for (;;) {
      const ids = await publisher.warmUp(`warmup-${run}`);
      const seen = await waitForWithin(
        'the warm-up incidents',
        async () => {
          const [r] = await owner().query(`SELECT count(*)::int AS n FROM triage_intake WHERE incident_id = ANY($1)`, [
            ids,
          ]);
          return r.n === ids.length ? true : undefined;
        },
        { timeoutMs: 15_000 },
      ).catch(() => false);
      if (seen) break;
    }
  });
  afterAll(async () => {
    await publisher?.close();
    await t?.close();
  });

  it('decides a reported incident with the ruleset version and every rule fired, opens a case and publishes cit.triage.completed.v1 without PHI', async () => {
    const data = reportedData({
      behavioralHealth: {
        relatedTo: 'mental-health',
        observations: ['suicidal-statements', 'weapon-present'],
        suspectedUsing: ['N'],
      },
    });
    await publisher.publish([reportedEvent(dept, data)]);
    const [event] = await waitFor('the decision to be published', async () => {
      const e = await completed(data.incidentId);
      return e.length === 1 ? e : undefined;
    });
    expect(event).toMatchObject({
      departmentId: dept,
      incidentId: data.incidentId,
      personId: data.subjects[0].personId,
      riskLevel: 'imminent',
      pathways: ['mobile-crisis-now', 'clinician-outreach'],
      legalBasis: { imminentThreat164512j: true },
      decidedBy: 'rules',
      rulesetVersion: 0,
      area: data.district,
      ageRange: 'adult',
    });
    expect(event.caseId).toMatch(/^case_|^cas_/);
    const [row] = await decisions(data.incidentId);
    expect(row.fired.map((f: { ruleId: string }) => f.ruleId)).toEqual(
      expect.arrayContaining(['suicidal-with-weapon', 'weapon-in-mental-health-crisis', 'imminent-risk-mobile-crisis']),
    );
    const payloads = JSON.stringify(
      await owner().query(`SELECT payload FROM outbox WHERE message_key = $1`, [data.incidentId]),
    );
    expect(payloads).not.toMatch(/enc:v[12]:/);
    expect(payloads).not.toContain(data.narrative!);
  });

  it('a reclassification re-runs triage and supersedes the decision, linked; the same input again changes nothing; another department cannot touch it', async () => {
    const data = reportedData({
      behavioralHealth: { relatedTo: 'neither', observations: [], suspectedUsing: ['N'] },
      callType: 'noise-complaint',
    });
    await publisher.publish([reportedEvent(dept, data)]);
    await waitFor('first decision', async () => ((await completed(data.incidentId)).length === 1 ? true : undefined));

    const reclass = (version: number, department = dept) =>
      reclassifiedEvent(department, {
        incidentId: data.incidentId,
        previous: data.behavioralHealth,
        current: { relatedTo: 'narcotics', observations: ['overdose'], suspectedUsing: ['D'] },
        origin: 'manual',
        reclassifiedBy: 'supervisor-1',
        reasonCode: 'new-information',
        version,
      });
    // Another department's event naming this incident: applied (inbox) under that department, touches nothing here.
    const before = await inboxCount();
    await publisher.publish([reclass(2, other)]);
    await waitFor('the other department’s event consumed', async () =>
      (await inboxCount()) > before ? true : undefined,
    );
    expect((await decisions(data.incidentId)).map((d: { status: string }) => d.status)).toEqual(['final']);

    await publisher.publish([reclass(2)]);
    const events = await waitFor('the superseding decision', async () => {
      const e = await completed(data.incidentId);
      return e.length === 2 ? e : undefined;
    });
    const rows = await decisions(data.incidentId);
    expect(rows.map((d: { status: string }) => d.status)).toEqual(['superseded', 'final']);
    expect(rows[0].superseded_by_id).toBe(rows[1].id);
    expect(rows[1]).toMatchObject({
      supersedes_id: rows[0].id,
      supersede_reason: 'reclassification',
      risk_level: 'urgent',
    });
    expect(events[1]).toMatchObject({
      supersedes: rows[0].id,
      supersedeReason: 'reclassification',
      riskLevel: 'urgent',
    });
    expect(events[1].needs).toEqual(expect.arrayContaining(['overdose-follow-up', 'substance-use']));

    // Same coding (a later version of the incident, e.g. after a correction), same ruleset: nothing changes.
    const seen = await inboxCount();
    await publisher.publish([reclass(3)]);
    await waitFor('the repeated reclassification consumed', async () =>
      (await inboxCount()) > seen ? true : undefined,
    );
    expect(await decisions(data.incidentId)).toHaveLength(2);
    expect(await completed(data.incidentId)).toHaveLength(2);

    // A newer ruleset version in force: the same reclassification input decides again.
    const upload = await http()
      .post('/v1/rulesets')
      .set(as('admin'))
      .send({
        name: 'all narcotics urgent partner referral',
        rules: [
          {
            id: 'narcotics',
            description: 'narcotics',
            when: { fact: 'relatedTo', equals: 'narcotics' },
            then: { risk: 'routine', needs: ['substance-use'], pathways: ['partner-referral'] },
          },
        ],
      })
      .expect(201);
    await http().post(`/v1/rulesets/${upload.body.version}/activate`).set(as('admin')).expect(200);
    await publisher.publish([reclass(4)]);
    const third = await waitFor('the decision under the new ruleset', async () => {
      const e = await completed(data.incidentId);
      return e.length === 3 ? e[2] : undefined;
    });
    expect(third).toMatchObject({
      rulesetVersion: upload.body.version,
      riskLevel: 'routine',
      pathways: ['partner-referral'],
    });
    await http().post('/v1/rulesets/0/activate').set(as('admin')).expect(200);
  });

  it('holds decisions per the review policy until a supervisor confirms, assigns or overrides (an event superseding it)', async () => {
    await putProgram(tokens.otherAdmin, { reviewPolicy: { mode: 'all' } });
    const a = reportedData({
      behavioralHealth: { relatedTo: 'mental-health', observations: [], suspectedUsing: ['N'] },
    });
    const b = reportedData({
      behavioralHealth: { relatedTo: 'mental-health', observations: ['trauma'], suspectedUsing: ['N'] },
    });
    const c = reportedData({ behavioralHealth: { relatedTo: 'narcotics', observations: [], suspectedUsing: ['D'] } });
    await publisher.publish([reportedEvent(other, a), reportedEvent(other, b), reportedEvent(other, c)]);
    const queue = await waitFor('three decisions in the review queue', async () => {
      const res = await http().get('/v1/review-queue').set(as('otherSupervisor')).expect(200);
      return res.body.items.length === 3 ? res.body.items : undefined;
    });
    expect(queue.map((i: { incidentId: string }) => i.incidentId).sort()).toEqual(
      [a, b, c].map((x) => x.incidentId).sort(),
    );
    expect(queue[0]).toMatchObject({ status: 'pending-review', reviewReason: 'policy' });
    expect(await completed(a.incidentId)).toEqual([]);
    // Department-scoped: the other department's supervisor sees none of them and cannot act on them.
    expect((await http().get('/v1/review-queue').set(as('supervisor')).expect(200)).body.items).toEqual([]);
    const idOf = (incidentId: string) => queue.find((i: { incidentId: string }) => i.incidentId === incidentId).id;
    await http()
      .post(`/v1/decisions/${idOf(a.incidentId)}/confirm`)
      .set(as('supervisor'))
      .send({})
      .expect(404);

    const confirmed = await http()
      .post(`/v1/decisions/${idOf(a.incidentId)}/confirm`)
      .set(as('otherSupervisor'))
      .send({})
      .expect(200);
    expect(confirmed.body).toMatchObject({ status: 'final', decidedBy: 'supervisor' });
    expect(await completed(a.incidentId)).toEqual([
      expect.objectContaining({ decidedBy: 'supervisor', triageId: idOf(a.incidentId) }),
    ]);
    const again = await http()
      .post(`/v1/decisions/${idOf(a.incidentId)}/confirm`)
      .set(as('otherSupervisor'))
      .send({})
      .expect(409);
    expect(again.body.detail).toContain('allowed: override');

    // Assign: a staff member of the department, else 400 naming assigneeId and nothing changes.
    const staff = await http()
      .post('/v1/staff')
      .set(as('otherAdmin'))
      .send({
        subject: `clin-${run}`,
        displayName: 'Clin',
        roles: ['clinician'],
        unit: 'COHR',
        sector: null,
        cjisCleared: false,
        cjisExpiresOn: null,
        active: true,
      })
      .expect(201);
    const badAssign = await http()
      .post(`/v1/decisions/${idOf(b.incidentId)}/assign`)
      .set(as('otherSupervisor'))
      .send({ assigneeId: 'stf_00000000000000000000000000000000' })
      .expect(400);
    expect(badAssign.body.errors[0].field).toBe('assigneeId');
    expect((await decisions(b.incidentId))[0].status).toBe('pending-review');
    await http()
      .post(`/v1/decisions/${idOf(b.incidentId)}/assign`)
      .set(as('otherSupervisor'))
      .send({ assigneeId: staff.body.id, unit: 'COHR' })
      .expect(200);
    expect(await completed(b.incidentId)).toEqual([
      expect.objectContaining({ assigneeId: staff.body.id, decidedBy: 'supervisor' }),
    ]);

    // Override with a reason: a new decision supersedes the held one; the reason is stored encrypted only.
    const reason = `family says he is safe tonight ${run}`;
    const overridden = await http()
      .post(`/v1/decisions/${idOf(c.incidentId)}/override`)
      .set(as('otherSupervisor'))
      .send({ reason, riskLevel: 'urgent', needs: ['substance-use'], pathways: ['partner-referral'] })
      .expect(201);
    const rows = await decisions(c.incidentId);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['superseded', 'final']);
    expect(rows[1]).toMatchObject({ id: overridden.body.id, supersedes_id: rows[0].id, supersede_reason: 'override' });
    expect(rows[1].reason_ciphertext).toMatch(/^enc:v2:/);
    expect(await completed(c.incidentId)).toEqual([
      expect.objectContaining({
        triageId: rows[1].id,
        supersedes: rows[0].id,
        supersedeReason: 'override',
        decidedBy: 'supervisor',
        riskLevel: 'urgent',
      }),
    ]);
    expect(JSON.stringify(await owner().query(`SELECT payload FROM outbox`))).not.toContain(reason);
    // An override of a superseded decision is refused, listing what is allowed.
    const stale = await http()
      .post(`/v1/decisions/${rows[0].id}/override`)
      .set(as('otherSupervisor'))
      .send({ reason: 'again', riskLevel: 'none', needs: [], pathways: ['no-further-action'] })
      .expect(409);
    expect(stale.body.detail).toContain('allowed: none');
    await putProgram(tokens.otherAdmin, { reviewPolicy: { mode: 'none' } });
  });

  it('a court-involved case or open investigation waits for a recorded consultation before it is published', async () => {
    const data = reportedData({
      encounter: 'criminal',
      disposition: 'arrest',
      behavioralHealth: { relatedTo: 'mental-health', observations: [], suspectedUsing: ['N'] },
    });
    await publisher.publish([reportedEvent(dept, data)]);
    const [row] = await waitFor('the held decision', async () => {
      const r = await decisions(data.incidentId);
      return r.length === 1 ? r : undefined;
    });
    expect(row).toMatchObject({ status: 'pending-review', review_reason: 'consultation-required' });
    const missing = await http().post(`/v1/decisions/${row.id}/confirm`).set(as('supervisor')).send({}).expect(400);
    expect(missing.body.errors[0].field).toBe('consultation');
    await http()
      .post(`/v1/decisions/${row.id}/confirm`)
      .set(as('supervisor'))
      .send({ consultation: { consultedWith: 'sergeant-0042' } })
      .expect(200);
    const [event] = await completed(data.incidentId);
    expect(event.consultation).toMatchObject({
      required: true,
      reasons: ['court-involved', 'open-investigation'],
      consultedBy: 'sergeant-0042',
    });
  });

  it('records on the incident that the person has a crisis response plan, and the decision says so', async () => {
    const personId = `per_${randomUUID().replace(/-/g, '')}`;
    await http()
      .put(`/v1/persons/${personId}/crisis-plan`)
      .set(as('coordinator'))
      .send({
        content: { whoToCall: [], whatHelps: ['Speak slowly'], whatEscalates: ['Sirens'] },
        reviewDate: '2099-01-01',
        expectedVersion: 0,
      })
      .expect(200);
    const withPlan = reportedData({
      personId,
      behavioralHealth: { relatedTo: 'mental-health', observations: [], suspectedUsing: ['N'] },
    });
    const withoutPlan = reportedData({
      behavioralHealth: { relatedTo: 'mental-health', observations: [], suspectedUsing: ['N'] },
    });
    await publisher.publish([reportedEvent(dept, withPlan), reportedEvent(dept, withoutPlan)]);
    const events = await waitFor('both decisions', async () => {
      const [a, b] = [await completed(withPlan.incidentId), await completed(withoutPlan.incidentId)];
      return a.length === 1 && b.length === 1 ? [a[0], b[0]] : undefined;
    });
    expect(events.map((e) => e.crisisPlanOnFile)).toEqual([true, false]);
    const rows = await owner().query(
      `SELECT incident_id, has_crisis_plan FROM triage_intake WHERE incident_id = ANY($1) ORDER BY incident_id = $2 DESC`,
      [[withPlan.incidentId, withoutPlan.incidentId], withPlan.incidentId],
    );
    expect(rows.map((r: { has_crisis_plan: boolean }) => r.has_crisis_plan)).toEqual([true, false]);
    const [decision] = await decisions(withPlan.incidentId);
    expect(decision.fired.map((f: { ruleId: string }) => f.ruleId)).toContain('crisis-plan-on-file');
  });

  it('nominates a person for a case conference once per window when the repeat-contact rule is met', async () => {
    const personId = `per_${randomUUID().replace(/-/g, '')}`;
    const day = (d: number) => new Date(Date.now() - (40 - d) * 86_400_000).toISOString();
    const incidents = [1, 5, 12, 14].map((d) =>
      reportedData({
        personId,
        occurredAt: day(d),
        behavioralHealth: { relatedTo: 'mental-health', observations: [], suspectedUsing: ['N'] },
      }),
    );
    // One at a time: incidents are keyed by incident id, so their partitions (and order) differ.
    for (const i of incidents) {
      await publisher.publish([reportedEvent(dept, i)]);
      await waitFor('the incident decided', async () =>
        (await decisions(i.incidentId)).length === 1 ? true : undefined,
      );
    }
    const nominations = (
      (await owner().query(
        `SELECT payload FROM outbox WHERE event_type = 'cit.conference.nomination-requested.v1' AND message_key = $1`,
        [personId],
      )) as { payload: { data: unknown } }[]
    ).map((r) => conferenceNominationRequestedData.parse(r.payload.data));
    expect(nominations).toHaveLength(1);
    expect(nominations[0]).toMatchObject({
      personId,
      reason: 'repeat-contacts',
      incidentIds: incidents.slice(0, 3).map((i) => i.incidentId),
      incidentCount: 3,
      windowDays: 30,
    });
    // The third incident's decision asked for the nomination pathway, the fourth did not; the window row holds 3 incidents.
    const [third] = await decisions(incidents[2].incidentId);
    expect(third.pathways).toContain('case-conference-nomination');
    expect((await decisions(incidents[3].incidentId))[0].pathways).not.toContain('case-conference-nomination');
    const [win] = await owner().query(
      `SELECT cardinality(recent_incident_ids) AS n, nominations FROM repeat_contact_window WHERE person_id = $1`,
      [personId],
    );
    expect(win).toEqual({ n: 3, nominations: 1 });
  });
});
