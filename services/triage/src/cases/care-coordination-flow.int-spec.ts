import { randomUUID } from 'node:crypto';
import { waitFor as waitForWithin } from '@cit/testing';
import request from 'supertest';
import { IncidentPublisher, reportedData, reportedEvent } from '../testing/incident-events';
import { startTriageTestApp, type TriageTestApp } from '../testing/triage-test-app';

/**
 * Care coordination as the whole triage service runs it, events through the real broker:
 * a person with a crisis plan has two incidents; the first decision opens a case, the repeat
 * contact joins it (one history); the incidents are marked as having a plan, which a
 * CJIS-cleared officer reads from the incident; outreach and closing follow.
 */
describe('care coordination flow (triage service, broker, database)', () => {
  let t: TriageTestApp;
  let publisher: IncidentPublisher;
  const run = randomUUID().slice(0, 8);
  const dept = `dept-care-${run}`;
  const tokens: Record<string, string> = {};
  const http = () => request(t.url);
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const owner = () => t.db.ownerDataSource;
  const waitFor = <T>(what: string, check: () => Promise<T | undefined | false>) =>
    waitForWithin(what, check, { timeoutMs: 90_000 });
  const caseEvents = (caseId: string) =>
    owner().query(`SELECT event_type, payload->'data' AS data FROM outbox WHERE message_key = $1 ORDER BY seq`, [
      caseId,
    ]) as Promise<{ event_type: string; data: Record<string, unknown> }[]>;
  const completedCaseId = (incidentId: string) =>
    waitFor(`the decision of ${incidentId}`, async () => {
      const [row] = await owner().query(
        `SELECT payload->'data'->>'caseId' AS case_id FROM outbox
          WHERE event_type = 'cit.triage.completed.v1' AND message_key = $1`,
        [incidentId],
      );
      return (row?.case_id as string | undefined) ?? undefined;
    });

  beforeAll(async () => {
    t = await startTriageTestApp('triage_care_flow', { consume: true });
    publisher = new IncidentPublisher(`triage-care-flow-${run}`);
    await publisher.connect();
    for (const [who, role] of [
      ['coordinator', 'coordinator'],
      ['officer', 'officer'],
    ] as const)
      tokens[who] = await t.token(role, dept, `${who}-${run}`);
    await owner().query(
      `INSERT INTO staff_members (department_id, id, subject, display_name, roles, cjis_cleared)
       VALUES ($1, 'stf_care', $2, 'x', '{officer}', true)`,
      [dept, `officer-${run}`],
    );
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
  }, 180_000);
  afterAll(async () => {
    await publisher?.close();
    await t?.close();
  });

  it('opens a case for the first decision, joins the repeat contact, shows the plan from the incident, then outreach and closing', async () => {
    const personId = `per_${randomUUID().replace(/-/g, '')}`;
    await http()
      .put(`/v1/persons/${personId}/crisis-plan`)
      .set(as('coordinator'))
      .send({
        content: { whoToCall: [], whatHelps: ['Quiet voice'], whatEscalates: ['Crowds'], preferredLanguage: 'es' },
        reviewDate: '2099-06-01',
      })
      .expect(200);
    const coding = {
      behavioralHealth: { relatedTo: 'mental-health', observations: ['trauma'], suspectedUsing: ['N'] },
    } as const;

    const first = reportedData({ personId, ...coding });
    await publisher.publish([reportedEvent(dept, first)]);
    const caseId = await completedCaseId(first.incidentId);
    const second = reportedData({ personId, ...coding });
    await publisher.publish([reportedEvent(dept, second)]);
    expect(await completedCaseId(second.incidentId)).toBe(caseId);

    const got = await http().get(`/v1/cases/${caseId}`).set(as('coordinator')).expect(200);
    expect(got.body).toMatchObject({ personId, source: 'triage', status: 'open' });
    expect(got.body.incidents.map((i: { incidentId: string }) => i.incidentId).sort()).toEqual(
      [first.incidentId, second.incidentId].sort(),
    );
    const [opened, joined] = await caseEvents(caseId);
    expect(opened).toMatchObject({ event_type: 'cit.case.opened.v1', data: { incidentIds: [first.incidentId] } });
    expect(joined).toMatchObject({ event_type: 'cit.case.updated.v1', data: { incidentJoined: second.incidentId } });

    const [marked] = await owner().query('SELECT has_crisis_plan FROM triage_intake WHERE incident_id = $1', [
      second.incidentId,
    ]);
    expect(marked.has_crisis_plan).toBe(true);
    const plan = await http().get(`/v1/incidents/${second.incidentId}/crisis-plan`).set(as('officer')).expect(200);
    expect(plan.body.plan).toMatchObject({
      personId,
      content: { whatHelps: ['Quiet voice'], preferredLanguage: 'es' },
    });

    await http()
      .post(`/v1/cases/${caseId}/contacts`)
      .set(as('coordinator'))
      .send({ outcome: 'made', channel: 'home-visit', notes: 'Safe at home with family' })
      .expect(201);
    await http().post(`/v1/cases/${caseId}/status`).set(as('coordinator')).send({ status: 'stabilized' }).expect(200);
    const types = (await caseEvents(caseId)).map((e) => e.event_type);
    expect(types).toEqual(['cit.case.opened.v1', 'cit.case.updated.v1', 'cit.case.updated.v1', 'cit.case.closed.v1']);

    // After closing, the next contact opens a new case: a closed history is not reopened.
    const third = reportedData({ personId, ...coding });
    await publisher.publish([reportedEvent(dept, third)]);
    const next = await completedCaseId(third.incidentId);
    expect(next).not.toBe(caseId);
  });
});
