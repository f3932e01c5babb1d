import { AuditTrail, type AuditContext } from '@cit/audit';
import { tenantTransaction } from '@cit/persistence';
import request from 'supertest';
import { AgendaFixtures } from '../agenda/testing/agenda-fixtures';
import { startConferenceTestApp, type ConferenceTestApp } from '../testing/conference-test-app';
import { recordPlanningAgencies } from './planning-agencies';

// The HUB four filters on the real database, broker-backed app and audit log: what each agency
// sees at each stage, at every endpoint it can call. The guarantee under test: a member agency
// the table did not select never sees identity (nor the reason text or call-back contact).
describe('four-filter privacy', () => {
  let t: ConferenceTestApp;
  let departments = 0;
  const http = () => request(t.url);
  const NAME = 'Robin Quillfeather';
  const BIRTH = '1985-06-01';
  const REASON = 'Sleeping in the stairwell since the fire; threatened neighbours twice';
  const CONTACT = 'Desk 617-555-0199';
  const SECRETS = [NAME, BIRTH, REASON, CONTACT, 'Quillfeather', '555-0199'];

  beforeAll(async () => {
    process.env.CONFERENCE_AGENDA_SWEEP_INTERVAL_MS = '0';
    t = await startConferenceTestApp('conference_privacy');
  }, 120_000);
  afterAll(() => t?.close());

  /** A department with a weekly table: chair C, members S and L (to be selected), O (member, MOU, never selected), N (member, no MOU); X is not a member. */
  async function table() {
    const dept = `dept-priv-${++departments}-${t.run}`;
    const fx = new AgendaFixtures(t.db.ownerDataSource, dept);
    const a = (name: string) => `agency-${name}-${t.run}`;
    const agencies = { C: a('c'), S: a('s'), L: a('l'), O: a('o'), N: a('n'), X: a('x') };
    const series = await fx.series({
      capacity: 10,
      members: [agencies.C, agencies.S, agencies.L, agencies.O, agencies.N],
    });
    const session = await fx.session(series, 7, { capacity: 10 });
    const other = await fx.session(series, 14, { capacity: 10 });
    for (const [agency, status] of [
      [agencies.C, 'active'],
      [agencies.S, 'active'],
      [agencies.L, 'active'],
      [agencies.O, 'active'],
      [agencies.N, 'expired'],
      [agencies.X, 'active'],
    ] as const) {
      await t.db.ownerDataSource.query(
        `INSERT INTO conference_agency (department_id, agency_id, mou_id, mou_status, effective_from, expires_on, revision)
         VALUES ($1, $2, $3, $4, current_date - 30, current_date + 300, 1)`,
        [dept, agency, `mou-${agency}`, status],
      );
    }
    const token = (role: 'coordinator' | 'supervisor' | 'officer' | 'auditor') => t.token(role, dept, `${role}-1`);
    const partner = (agency: string) => t.partnerToken(agency, dept);
    return { dept, fx, agencies, series, session, other, token, partner };
  }

  /** The chair agency nominates; the scheduler places the case on the first session. */
  async function nominate(tb: Awaited<ReturnType<typeof table>>, name = NAME) {
    const res = await http()
      .post('/v1/partner/nominations')
      .set('authorization', `Bearer ${await tb.partner(tb.agencies.C)}`)
      .send({
        name,
        birthDate: BIRTH,
        gender: 'non-binary',
        riskFactors: ['housing', 'threat-to-others', 'mental-health'],
        riskLevel: 'urgent',
        reasonCode: 'escalating-behaviour',
        reasonText: REASON,
        callbackContact: CONTACT,
      });
    if (res.status !== 201) throw new Error(`nominate: ${res.status} ${JSON.stringify(res.body)}`);
    const nominationId: string = res.body.nominationId;
    const placed = await tb.fx.agenda(tb.session);
    expect(placed.map((p) => p.nomination_id)).toContain(nominationId);
    return nominationId;
  }

  /** Everything agency `agency` can ask about the case: the partner nomination route and the session agenda. */
  async function whatAgencySees(tb: Awaited<ReturnType<typeof table>>, agency: string, nominationId: string) {
    const auth = `Bearer ${await tb.partner(agency)}`;
    const nomination = await http().get(`/v1/partner/nominations/${nominationId}`).set('authorization', auth);
    const agenda = await http().get(`/v1/sessions/${tb.session}/agenda`).set('authorization', auth);
    const nextAgenda = await http().get(`/v1/sessions/${tb.other}/agenda`).set('authorization', auth);
    const outcomes = await http().get(`/v1/nominations/${nominationId}/outcomes`).set('authorization', auth);
    const again = await http()
      .post('/v1/partner/nominations')
      .set('authorization', auth)
      .send({
        name: NAME,
        birthDate: BIRTH,
        riskFactors: ['housing'],
        riskLevel: 'routine',
        reasonCode: 'other',
        reasonText: 'probe',
      });
    return {
      nomination,
      agenda,
      again,
      outcomes,
      text: JSON.stringify([nomination.body, agenda.body, nextAgenda.body, outcomes.body, again.body]),
    };
  }

  const expectNoIdentity = (text: string) => {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  };

  const decide = async (
    tb: Awaited<ReturnType<typeof table>>,
    nominationId: string,
    body: object,
    session = tb.session,
  ) =>
    http()
      .post(`/v1/sessions/${session}/cases/${nominationId}/risk-decision`)
      .set('authorization', `Bearer ${await tb.token('coordinator')}`)
      .send(body);

  const auditRows = (dept: string, recordType: string) =>
    t.db.ownerDataSource.query(
      `SELECT action, record_id, fields, actor_kind, actor_agency_id FROM audit_log
        WHERE department_id = $1 AND record_type = $2 ORDER BY seq`,
      [dept, recordType],
    ) as Promise<
      Array<{ action: string; record_id: string; fields: string[]; actor_kind: string; actor_agency_id: string | null }>
    >;

  const planning = (dept: string, nominationId: string, sessionId: string, lead: string, assisting: string[]) => {
    const audit: AuditContext = {
      departmentId: dept,
      actor: { subject: 'coordinator-1', kind: 'staff', roles: ['coordinator'] },
      purpose: 'care-coordination',
      requestId: null,
      correlationId: `cor-${t.run}`,
      clientAddress: null,
    };
    return tenantTransaction(t.db.dataSource, dept, (em) =>
      recordPlanningAgencies(
        em,
        { departmentId: dept, trail: t.app.get(AuditTrail), audit },
        nominationId,
        sessionId,
        lead,
        assisting,
        'coordinator-1',
      ),
    );
  };

  it('a member agency not selected never sees identity: before the decision, after it, and during planning', async () => {
    const tb = await table();
    const { S, L, O, X } = tb.agencies;
    const nominationId = await nominate(tb);

    // Filter 1: everyone at the table sees the de-identified presentation; a non-member nothing.
    const before = await whatAgencySees(tb, O, nominationId);
    expect(before.nomination.status).toBe(200);
    expect(before.nomination.body).toMatchObject({
      level: 'de-identified',
      presentation: { ageRange: expect.any(String), gender: 'non-binary', reasonCode: 'escalating-behaviour' },
    });
    expect(before.agenda.status).toBe(200);
    expect(before.again.status).toBe(409);
    expectNoIdentity(before.text);
    const outsider = await whatAgencySees(tb, X, nominationId);
    expect(outsider.nomination.status).toBe(404);
    expect(outsider.agenda.status).toBe(404);
    expectNoIdentity(outsider.text);

    // Filter 2: elevated, identity to S and L only.
    const decided = await decide(tb, nominationId, { acutelyElevated: true, selectedAgencyIds: [S, L] });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ privacyStage: 'limited-identity', status: 'open', disclosedTo: [S, L] });

    const selected = await whatAgencySees(tb, S, nominationId);
    expect(selected.nomination.body).toMatchObject({
      level: 'limited-identity',
      identity: { name: NAME, birthDate: BIRTH },
    });
    expect(selected.nomination.body.reasonText).toBeUndefined();
    expect(selected.agenda.text ?? JSON.stringify(selected.agenda.body)).toContain(NAME);
    const afterDecision = await whatAgencySees(tb, O, nominationId);
    expect(afterDecision.nomination.body.level).toBe('de-identified');
    expectNoIdentity(afterDecision.text);

    // Filters 3 and 4 through the table's outcome: L leads, S assists; they see what planning needs.
    // The case is carried over (back on the next agenda as a status update). O still sees nothing more.
    const outcome = await http()
      .post(`/v1/sessions/${tb.session}/cases/${nominationId}/outcome`)
      .set('authorization', `Bearer ${await tb.token('coordinator')}`)
      .send({
        status: 'carry-over',
        leadAgencyId: L,
        assistingAgencyIds: [S],
        actionItems: [
          {
            ownerAgencyId: L,
            kind: 'home-visit',
            description: `Visit ${NAME} with housing`,
            dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
          },
        ],
      });
    expect(outcome.status).toBe(201);
    const lead = await whatAgencySees(tb, L, nominationId);
    expect(lead.nomination.body).toMatchObject({
      level: 'planning',
      identity: { name: NAME, birthDate: BIRTH },
      reasonText: REASON,
      contact: CONTACT,
    });
    // The lead reads the action item naming the person: the probes below are not vacuous.
    expect(lead.outcomes.status).toBe(200);
    expect(JSON.stringify(lead.outcomes.body)).toContain(NAME);
    const assisting = await whatAgencySees(tb, S, nominationId);
    expect(assisting.nomination.body.level).toBe('planning');
    const afterPlanning = await whatAgencySees(tb, O, nominationId);
    expect(afterPlanning.nomination.status).toBe(200);
    expect(afterPlanning.nomination.body.level).toBe('de-identified');
    expectNoIdentity(afterPlanning.text);
    expectNoIdentity((await whatAgencySees(tb, X, nominationId)).text);

    // Every disclosure is recorded and audited; agencies' identity reads are audited under their agency.
    const disclosures = await auditRows(tb.dept, 'identity-disclosure');
    expect(disclosures.map((r) => r.record_id).sort()).toEqual(
      [
        `${nominationId}:${S}:selected`,
        `${nominationId}:${L}:selected`,
        `${nominationId}:${L}:lead`,
        `${nominationId}:${S}:assisting`,
      ].sort(),
    );
    expect(disclosures.every((r) => r.action === 'export')).toBe(true);
    const reads = await auditRows(tb.dept, 'nomination');
    const agencyReads = reads.filter((r) => r.action === 'read' && r.actor_kind === 'partner');
    expect(new Set(agencyReads.map((r) => r.actor_agency_id))).toEqual(new Set([S, L]));
    expect(agencyReads.find((r) => r.actor_agency_id === L && r.fields.includes('reasonText'))).toBeDefined();

    const trail = await http()
      .get(`/v1/nominations/${nominationId}/privacy-trail`)
      .set('authorization', `Bearer ${await tb.token('supervisor')}`);
    expect(trail.status).toBe(200);
    expect(trail.body.privacyStage).toBe('planning');
    expect(trail.body.steps.map((s: { filter: number; action: string }) => `${s.filter}:${s.action}`)).toEqual([
      '1:presented',
      '2:limited-identity',
      '3:lead-assigned',
      '4:assisting-assigned',
    ]);
    expectNoIdentity(JSON.stringify(trail.body));
    const partnerTrail = await http()
      .get(`/v1/nominations/${nominationId}/privacy-trail`)
      .set('authorization', `Bearer ${await tb.partner(O)}`);
    expect(partnerTrail.status).toBe(403);
  });

  it('program staff see the case in full (audited); an officer sees it de-identified', async () => {
    const tb = await table();
    const nominationId = await nominate(tb);
    const full = await http()
      .get(`/v1/nominations/${nominationId}`)
      .set('authorization', `Bearer ${await tb.token('coordinator')}`);
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({
      level: 'full',
      identity: { name: NAME, birthDate: BIRTH },
      reasonText: REASON,
      contact: CONTACT,
    });
    const reads = await auditRows(tb.dept, 'nomination');
    expect(reads.find((r) => r.action === 'read' && r.record_id === nominationId)?.fields).toEqual([
      'name',
      'birthDate',
      'reasonText',
      'contact',
    ]);
    const officer = await http()
      .get(`/v1/nominations/${nominationId}`)
      .set('authorization', `Bearer ${await tb.token('officer')}`);
    expect(officer.body.level).toBe('de-identified');
    expectNoIdentity(JSON.stringify(officer.body));
    const list = await http()
      .get('/v1/nominations')
      .set('authorization', `Bearer ${await tb.token('coordinator')}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { nominationId: string }) => i.nominationId)).toContain(nominationId);
    expectNoIdentity(JSON.stringify(list.body));
  });

  it('filter 2 refuses agencies not at the table or without an active MOU, naming each; nothing changes', async () => {
    const tb = await table();
    const { S, N, X } = tb.agencies;
    const nominationId = await nominate(tb);
    const refused = await decide(tb, nominationId, { acutelyElevated: true, selectedAgencyIds: [S, X, N] });
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.errors).toEqual([
      { field: 'selectedAgencyIds[1]', detail: expect.stringContaining('not a member') },
      { field: 'selectedAgencyIds[2]', detail: expect.stringContaining('no active MOU') },
    ]);
    const [row] = await t.db.ownerDataSource.query(`SELECT privacy_stage, version FROM nomination WHERE id = $1`, [
      nominationId,
    ]);
    expect(row).toEqual({ privacy_stage: 'de-identified', version: 1 });
    const [{ count }] = await t.db.ownerDataSource.query(
      `SELECT count(*)::int AS count FROM identity_disclosure WHERE nomination_id = $1`,
      [nominationId],
    );
    expect(count).toBe(0);

    // The case must be on that session's agenda.
    const elsewhere = await decide(tb, nominationId, { acutelyElevated: true, selectedAgencyIds: [S] }, tb.other);
    expect(elsewhere.status).toBe(404);
    const bad = await decide(tb, nominationId, { acutelyElevated: true, selectedAgencyIds: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('selectedAgencyIds');

    // Planning only among the selected agencies.
    expect((await decide(tb, nominationId, { acutelyElevated: true, selectedAgencyIds: [S] })).status).toBe(200);
    await expect(planning(tb.dept, nominationId, tb.session, tb.agencies.O, [S])).rejects.toMatchObject({
      errors: [{ field: 'leadAgencyId', detail: expect.any(String) }],
    });
    const again = await decide(tb, nominationId, { acutelyElevated: false, selectedAgencyIds: [] });
    expect(again.status).toBe(409);
    expect(again.body.allowed).toEqual(['withdraw']);
  });

  it('not elevated: the record is redacted for good, closed, and kept as counts', async () => {
    const tb = await table();
    const { S, O } = tb.agencies;
    const nominationId = await nominate(tb);
    const res = await decide(tb, nominationId, {
      acutelyElevated: false,
      selectedAgencyIds: [S, O],
      servicesMobilized: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ privacyStage: 'redacted', status: 'closed', disclosedTo: [] });
    const [row] = await t.db.ownerDataSource.query(
      `SELECT status, closed_status, privacy_stage, name_ciphertext, birth_date_ciphertext, reason_text_ciphertext,
              contact_ciphertext, risk_factors, risk_factor_count, agencies_mobilized_count, services_mobilized_count
         FROM nomination WHERE id = $1`,
      [nominationId],
    );
    expect(row).toEqual({
      status: 'closed',
      closed_status: 'not-acutely-elevated',
      privacy_stage: 'redacted',
      name_ciphertext: null,
      birth_date_ciphertext: null,
      reason_text_ciphertext: null,
      contact_ciphertext: null,
      risk_factors: [],
      risk_factor_count: 3,
      agencies_mobilized_count: 2,
      services_mobilized_count: 1,
    });
    const staff = await http()
      .get(`/v1/nominations/${nominationId}`)
      .set('authorization', `Bearer ${await tb.token('coordinator')}`);
    expect(staff.body).toMatchObject({
      level: 'full',
      counts: { riskFactors: 3, agenciesMobilized: 2, servicesMobilized: 1 },
    });
    expect(staff.body.presentation).toBeUndefined();
    expectNoIdentity(JSON.stringify(staff.body));
    const member = await whatAgencySees(tb, S, nominationId);
    expect(member.nomination.body.level).toBe('redacted');
    expectNoIdentity(member.text);
    const [{ count }] = await t.db.ownerDataSource.query(
      `SELECT count(*)::int AS count FROM identity_disclosure WHERE nomination_id = $1`,
      [nominationId],
    );
    expect(count).toBe(0);
    expect((await auditRows(tb.dept, 'nomination')).find((r) => r.action === 'decide')?.fields).toContain('name');
  });
});
