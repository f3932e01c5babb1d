import { newId } from '@cit/contracts';
import { FieldCipher } from '@cit/persistence';
import request from 'supertest';
import { AgendaFixtures } from '../agenda/testing/agenda-fixtures';
import { IncidentReportedHandler } from '../persons/incident-reported.handler';
import { PersonMergedHandler, PersonUnmergedHandler } from '../persons/person-merged.handler';
import { PersonRetentionService } from '../persons/person-retention.service';
import { startConferenceTestApp, type ConferenceTestApp } from '../testing/conference-test-app';
import { ageRangeOfBirthDate } from './domain/age-range';
import { FamilyFormRateLimiter } from './family-form/family-form-rate-limiter';
import { NominationRequestedHandler } from './triage-requested/nomination-requested.handler';

// Nominations on the real database (runtime role under RLS), Redis and the inbox: each source,
// verification, one open nomination per person, the public form's limits and silence, triage's
// idempotent requests, person merges and the projection's retention.
describe('conference nominations', () => {
  let t: ConferenceTestApp;
  let departments = 0;
  const http = () => request(t.url);
  const PER_CLIENT = 3;

  beforeAll(async () => {
    process.env.CONFERENCE_AGENDA_SWEEP_INTERVAL_MS = '0';
    process.env.CONFERENCE_FAMILY_FORM_PER_CLIENT = String(PER_CLIENT);
    process.env.CONFERENCE_FAMILY_FORM_PER_DEPARTMENT = '5';
    process.env.CONFERENCE_PERSON_RETENTION_INTERVAL_MS = '0';
    t = await startConferenceTestApp('conference_nominations');
  }, 120_000);
  afterAll(() => t?.close());

  /** A department of its own with one weekly table (members C and M), a session next week and the family form on. */
  async function department(opts: { familyForm?: boolean } = {}) {
    const dept = `dept-nom-${++departments}-${t.run}`;
    const fx = new AgendaFixtures(t.db.ownerDataSource, dept);
    const C = `agency-c-${t.run}`;
    const M = `agency-m-${t.run}`;
    const series = await fx.series({ capacity: 10, members: [C, M] });
    const session = await fx.session(series, 7, { capacity: 10 });
    await t.db.ownerDataSource.query(
      `INSERT INTO conference_settings (department_id, time_zone, family_form_enabled, updated_by)
       VALUES ($1, 'America/New_York', $2, 'fixture')`,
      [dept, opts.familyForm ?? true],
    );
    const staff = async (role: 'officer' | 'coordinator' | 'supervisor' | 'clinician', subject = `${role}-1`) =>
      `Bearer ${await t.token(role, dept, subject)}`;
    const partner = async (agency: string) => `Bearer ${await t.partnerToken(agency, dept)}`;
    return { dept, fx, C, M, series, session, staff, partner };
  }

  const nominationBody = (over: Record<string, unknown> = {}) => ({
    name: 'Avery Lindqvist',
    birthDate: '1990-02-14',
    gender: 'female',
    riskFactors: ['mental-health', 'suicide-risk'],
    riskLevel: 'urgent',
    reasonCode: 'escalating-behaviour',
    reasonText: 'Stopped her medication; two welfare checks this week.',
    ...over,
  });
  const rows = (dept: string, where = 'true', params: unknown[] = []) =>
    t.db.ownerDataSource.query(
      `SELECT id, status, source, person_key, person_id, linked_nomination_id, closed_status, risk_factors, risk_level,
              name_ciphertext, age_range, triage_case_id
         FROM nomination WHERE department_id = $1 AND ${where} ORDER BY created_at, id`,
      [dept, ...params],
    ) as Promise<
      Array<{
        id: string;
        status: string;
        source: string;
        person_key: string;
        person_id: string | null;
        linked_nomination_id: string | null;
        closed_status: string | null;
        risk_factors: string[];
        risk_level: string;
        name_ciphertext: string | null;
        age_range: string | null;
        triage_case_id: string | null;
      }>
    >;
  const familyForm = (dept: string, body: object) =>
    http().post(`/v1/public/departments/${dept}/nominations`).send(body);
  const familyBody = (over: Record<string, unknown> = {}) => ({
    personName: 'Morgan Oyelaran',
    approximateAge: 41,
    concern: 'He has not left his flat in weeks and talks about ending it.',
    relationship: 'sibling',
    callbackContact: '617-555-0142',
    ...over,
  });

  it('staff nominate (open, placed on the agenda); a second nomination of the same person is 409 without echoing identity', async () => {
    const d = await department();
    const first = await http()
      .post('/v1/nominations')
      .set('authorization', await d.staff('officer'))
      .send(nominationBody());
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      nominationId: expect.stringMatching(/^nom_/),
      status: 'open',
      privacyStage: 'de-identified',
    });
    expect((await d.fx.agenda(d.session)).map((a) => a.nomination_id)).toEqual([first.body.nominationId]);
    const [stored] = await rows(d.dept);
    expect(stored).toMatchObject({
      source: 'staff',
      age_range: '35-44',
      person_key: expect.stringMatching(/^bix:v1:[0-9a-f]{64}$/),
    });
    expect(stored!.name_ciphertext).toMatch(/^enc:v2:/);

    // Same person through a partner (name spelled differently in case and accents): one open nomination.
    const again = await http()
      .post('/v1/partner/nominations')
      .set('authorization', await d.partner(d.C))
      .send(nominationBody({ name: '  avery  LINDQVIST ' }));
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.body.type).toMatch(/open-nomination-exists$/);
    expect(again.body.detail).toMatch(/^name: /);
    expect(JSON.stringify(again.body)).not.toMatch(/Avery|Lindqvist|1990-02-14/i);
    expect(await rows(d.dept)).toHaveLength(1);

    // Staff naming the person by intake id: keyed by that id.
    const byId = await http()
      .post('/v1/nominations')
      .set('authorization', await d.staff('clinician'))
      .send(
        nominationBody({
          personId: 'per_00000000000000000000000000000b01',
          name: undefined,
          birthDate: undefined,
          ageRange: '25-34',
        }),
      );
    expect(byId.status).toBe(201);
    const dup = await http()
      .post('/v1/nominations')
      .set('authorization', await d.staff('clinician'))
      .send(
        nominationBody({ personId: 'per_00000000000000000000000000000b01', name: undefined, birthDate: undefined }),
      );
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toMatch(/^personId: /);
  });

  it('nominations of one person at once: exactly one opens, the others are 409 (never a 500)', async () => {
    const d = await department();
    const auth = await d.staff('coordinator');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        http()
          .post('/v1/nominations')
          .set('authorization', auth)
          .send(nominationBody({ name: 'Quinn Racewell' })),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await rows(d.dept)).toHaveLength(1);
  });

  it('partner nominations come from member agencies only; bad input is refused naming the field, nothing stored', async () => {
    const d = await department();
    const ok = await http()
      .post('/v1/partner/nominations')
      .set('authorization', await d.partner(d.M))
      .send(nominationBody());
    expect(ok.status).toBe(201);
    const [row] = await rows(d.dept);
    expect(row).toMatchObject({ source: 'partner', status: 'open' });
    const stranger = await http()
      .post('/v1/partner/nominations')
      .set('authorization', await d.partner(`agency-stranger-${t.run}`))
      .send(nominationBody({ name: 'Someone Else' }));
    expect(stranger.status).toBe(403);
    const cases: Array<[object, string]> = [
      [nominationBody({ name: 'X Y', riskFactors: ['not-a-code'] }), 'riskFactors.0'],
      [nominationBody({ name: 'X Y', riskFactors: [] }), 'riskFactors'],
      [nominationBody({ name: 'X Y', birthDate: '2999-01-01' }), 'birthDate'],
      [nominationBody({ name: 'X Y', birthDate: undefined }), 'birthDate'],
      [nominationBody({ name: undefined }), 'name'],
      [nominationBody({ name: 'X Y', extra: 1 }), 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await http()
        .post('/v1/partner/nominations')
        .set('authorization', await d.partner(d.M))
        .send(body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await rows(d.dept)).toHaveLength(1);
  });

  it('family form: pending until a coordinator verifies; duplicates are linked silently; 409 with allowed when not pending', async () => {
    const d = await department();
    const first = await familyForm(d.dept, familyBody());
    expect(first.status).toBe(202);
    const second = await familyForm(d.dept, familyBody({ relationship: 'parent', callbackContact: '617-555-0999' }));
    expect(second.status).toBe(202);
    // The answer never says whether the person is known or already nominated.
    expect(second.body).toEqual(first.body);
    const unknown = await familyForm(d.dept, familyBody({ personName: 'Nobody Known' }));
    expect(unknown.body).toEqual(first.body);

    const [a, b] = await rows(
      d.dept,
      `person_key = (SELECT person_key FROM nomination WHERE department_id = $1 ORDER BY created_at LIMIT 1)`,
    );
    expect(a).toMatchObject({
      status: 'pending-verification',
      source: 'family',
      linked_nomination_id: null,
      age_range: '35-44',
    });
    expect(b).toMatchObject({ status: 'pending-verification', linked_nomination_id: a!.id });
    expect(await d.fx.agenda(d.session)).toHaveLength(0);

    const officer = await http()
      .post(`/v1/nominations/${a!.id}/verify`)
      .set('authorization', await d.staff('officer'))
      .send({ decision: 'accept' });
    expect(officer.status).toBe(403);
    const noFactors = await http()
      .post(`/v1/nominations/${a!.id}/verify`)
      .set('authorization', await d.staff('coordinator'))
      .send({ decision: 'accept' });
    expect(noFactors.status).toBe(400);
    expect(noFactors.body.errors[0].field).toBe('riskFactors');
    const accepted = await http()
      .post(`/v1/nominations/${a!.id}/verify`)
      .set('authorization', await d.staff('coordinator'))
      .send({ decision: 'accept', riskFactors: ['suicide-risk', 'mental-health'], riskLevel: 'imminent' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'open', linkedNominationId: null, version: 2 });
    expect((await d.fx.agenda(d.session)).map((x) => x.nomination_id)).toEqual([a!.id]);

    const twice = await http()
      .post(`/v1/nominations/${a!.id}/verify`)
      .set('authorization', await d.staff('coordinator'))
      .send({ decision: 'accept' });
    expect(twice.status).toBe(409);
    expect(twice.body.allowed).toEqual(['withdraw', 'update-presentation', 'risk-decision']);

    // The linked duplicate, once verified, joins the open one instead of opening a second.
    const dupAccepted = await http()
      .post(`/v1/nominations/${b!.id}/verify`)
      .set('authorization', await d.staff('supervisor'))
      .send({ decision: 'accept', riskFactors: ['mental-health'] });
    expect(dupAccepted.body).toMatchObject({ status: 'closed', closedStatus: 'duplicate', linkedNominationId: a!.id });
    const [other] = await rows(d.dept, `status = 'pending-verification'`);
    const rejected = await http()
      .post(`/v1/nominations/${other!.id}/verify`)
      .set('authorization', await d.staff('coordinator'))
      .send({ decision: 'reject', reason: 'could-not-verify' });
    expect(rejected.body).toMatchObject({ status: 'rejected' });
    const withdrawn = await http()
      .post(`/v1/nominations/${a!.id}/withdraw`)
      .set('authorization', await d.staff('coordinator'))
      .send({ reason: 'handled-elsewhere' });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn' });
    const withdrawAgain = await http()
      .post(`/v1/nominations/${a!.id}/withdraw`)
      .set('authorization', await d.staff('coordinator'))
      .send({ reason: 'handled-elsewhere' });
    expect(withdrawAgain.status).toBe(409);
    expect(withdrawAgain.body.allowed).toEqual([]);

    const off = await department({ familyForm: false });
    expect((await familyForm(off.dept, familyBody())).status).toBe(404);
    expect(await rows(off.dept)).toHaveLength(0);
  });

  it('a public-form flood: 429 problem+json with Retry-After past the limit, nothing stored beyond the allowed', async () => {
    const d = await department();
    const answers = [];
    for (let i = 0; i < 10; i++)
      answers.push(await familyForm(d.dept, familyBody({ personName: `Flood Person ${i}` })));
    expect(answers.map((r) => r.status)).toEqual([...Array(PER_CLIENT).fill(202), ...Array(10 - PER_CLIENT).fill(429)]);
    const limited = answers[PER_CLIENT]!;
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, type: expect.stringMatching(/rate-limited$/) });
    expect(await rows(d.dept)).toHaveLength(PER_CLIENT);
    // Bad bodies count too, and are refused before validation once limited.
    expect((await familyForm(d.dept, { junk: true })).status).toBe(429);

    // The department's own budget (5) holds whoever sends: other addresses are stopped past it.
    const limiter = t.app.get(FamilyFormRateLimiter);
    const e = await department();
    const verdicts = [];
    for (let i = 0; i < 7; i++) verdicts.push((await limiter.take(e.dept, `198.51.100.${i}`)).limited);
    expect(verdicts).toEqual([false, false, false, false, false, true, true]);
  });

  it('triage nominations: identity from the incident projection, idempotent by request id, one open per person', async () => {
    const d = await department();
    const cipher = t.app.get(FieldCipher);
    const personId = newId('per');
    const name = cipher.encrypt('Casey Brightwater');
    const incident = (occurredAt: string, coding: object) => ({
      incidentId: newId('inc'),
      externalIds: {},
      occurredAt,
      receivedAt: occurredAt,
      callType: 'welfare-check',
      encounter: 'non-criminal',
      behavioralHealth: coding,
      reportingOfficerId: 'officer-1',
      subjects: [
        {
          subjectId: newId('sub'),
          personId,
          flags: { juvenile: false, senior: false, veteran: false, experiencingHomelessness: true },
          name,
          dateOfBirth: cipher.encrypt('1979-09-09'),
        },
        {
          subjectId: newId('sub'),
          flags: { juvenile: false, senior: false, veteran: false, experiencingHomelessness: false },
          name: cipher.encrypt('Unmatched Bystander'),
        },
      ],
      source: 'api',
    });
    const deliverIncident = (data: ReturnType<typeof incident>) =>
      t.deliver(IncidentReportedHandler, 'cit.incident.reported.v1', data.incidentId, data as never, d.dept);
    await deliverIncident(
      incident('2026-11-20T10:00:00Z', {
        relatedTo: 'both',
        observations: ['suicidal-statements'],
        suspectedUsing: ['A'],
      }),
    );
    // An older incident arriving late changes nothing.
    await deliverIncident(
      incident('2026-10-01T10:00:00Z', { relatedTo: 'neither', observations: [], suspectedUsing: ['N'] }),
    );
    const projected = await t.db.ownerDataSource.query(
      `SELECT person_id, bh_related_to, name_ciphertext FROM conference_person WHERE department_id = $1`,
      [d.dept],
    );
    expect(projected).toEqual([{ person_id: personId, bh_related_to: 'both', name_ciphertext: name }]);

    const requested = {
      nominationRequestId: newId('nrq'),
      caseId: newId('case'),
      personId,
      reason: 'repeat-contacts' as const,
      riskLevel: 'urgent' as const,
      incidentCount: 3,
      windowDays: 30,
    };
    const first = await t.deliver(
      NominationRequestedHandler,
      'cit.conference.nomination-requested.v1',
      personId,
      requested,
      d.dept,
    );
    expect(first.applied).toBe(true);
    // The same event redelivered (inbox), and the same request in a new event (relay resend): one nomination.
    expect(
      (
        await t.deliver(
          NominationRequestedHandler,
          'cit.conference.nomination-requested.v1',
          personId,
          requested,
          d.dept,
          first.event,
        )
      ).applied,
    ).toBe(false);
    expect(
      (
        await t.deliver(
          NominationRequestedHandler,
          'cit.conference.nomination-requested.v1',
          personId,
          requested,
          d.dept,
        )
      ).applied,
    ).toBe(true);
    const [nom, ...rest] = await rows(d.dept);
    expect(rest).toHaveLength(0);
    expect(nom).toMatchObject({
      source: 'triage',
      status: 'open',
      person_key: personId,
      triage_case_id: requested.caseId,
      name_ciphertext: name,
      risk_factors: ['mental-health', 'suicide-risk', 'substance-use', 'alcohol', 'repeat-police-contact'],
    });
    // The age band comes from intake's birth date: a decryption by the service itself, audited as such.
    expect(nom!.age_range).toBe(ageRangeOfBirthDate('1979-09-09', new Date()));
    const decrypts = await t.db.ownerDataSource.query(
      `SELECT actor_kind, record_id, fields FROM audit_log WHERE department_id = $1 AND action = 'decrypt'`,
      [d.dept],
    );
    expect(decrypts).toEqual([{ actor_kind: 'system', record_id: personId, fields: ['birthDate'] }]);
    expect((await d.fx.agenda(d.session)).map((a) => a.nomination_id)).toEqual([nom!.id]);
    const scheduled = (await t.outbox('cit.conference.case-scheduled.v1')).filter((e) => e.departmentId === d.dept);
    expect(scheduled.map((e) => e.data.caseId)).toEqual([requested.caseId]);

    // A new window's request while one is open: kept, closed as a duplicate linked to the open one.
    await t.deliver(
      NominationRequestedHandler,
      'cit.conference.nomination-requested.v1',
      personId,
      { ...requested, nominationRequestId: newId('nrq') },
      d.dept,
    );
    const all = await rows(d.dept);
    expect(all.map((r) => [r.status, r.closed_status, r.linked_nomination_id])).toEqual([
      ['open', null, null],
      ['closed', 'duplicate', nom!.id],
    ]);
  });

  it('person merge: nominations follow the survivor, the higher-risk open one stays open; an unmerge undoes exactly that', async () => {
    const d = await department();
    const survivor = newId('per');
    const merged = newId('per');
    const open = async (personId: string, riskLevel: string) =>
      (
        await http()
          .post('/v1/nominations')
          .set('authorization', await d.staff('coordinator'))
          .send(nominationBody({ personId, name: undefined, birthDate: undefined, ageRange: '45-54', riskLevel }))
      ).body.nominationId as string;
    const survivorNom = await open(survivor, 'routine');
    const mergedNom = await open(merged, 'imminent');
    await t.db.ownerDataSource.query(
      `INSERT INTO conference_person (department_id, person_id, name_ciphertext, last_incident_id, last_incident_at)
       VALUES ($1, $2, 'enc:v1:x', 'inc_1', now()), ($1, $3, 'enc:v1:y', 'inc_2', now())`,
      [d.dept, survivor, merged],
    );
    const mergeId = newId('pmg');
    const mergeData = {
      survivingPersonId: survivor,
      mergedPersonId: merged,
      mergeId,
      mergedAt: new Date().toISOString(),
    };
    await t.deliver(PersonMergedHandler, 'cit.person.merged.v1', survivor, mergeData, d.dept);
    // A second delivery of the same merge (new event id) changes nothing.
    await t.deliver(PersonMergedHandler, 'cit.person.merged.v1', survivor, mergeData, d.dept);
    const after = await rows(d.dept);
    expect(after.map((r) => [r.id, r.person_key, r.status, r.closed_status, r.linked_nomination_id])).toEqual([
      [survivorNom, survivor, 'closed', 'merged', mergedNom],
      [mergedNom, survivor, 'open', null, null],
    ]);
    const [projection] = await t.db.ownerDataSource.query(
      `SELECT merged_into FROM conference_person WHERE department_id = $1 AND person_id = $2`,
      [d.dept, merged],
    );
    expect(projection.merged_into).toBe(survivor);

    await t.deliver(
      PersonUnmergedHandler,
      'cit.person.unmerged.v1',
      survivor,
      { survivingPersonId: survivor, mergedPersonId: merged, mergeId, unmergedAt: new Date().toISOString() },
      d.dept,
    );
    const undone = await rows(d.dept);
    expect(undone.map((r) => [r.id, r.person_key, r.status])).toEqual([
      [survivorNom, survivor, 'open'],
      [mergedNom, merged, 'open'],
    ]);
  });

  it('retention: persons never nominated leave the projection after the retention period; nominated ones stay', async () => {
    const d = await department();
    const [old, nominated, recent] = [newId('per'), newId('per'), newId('per')];
    await t.db.ownerDataSource.query(
      `INSERT INTO conference_person (department_id, person_id, last_incident_id, last_incident_at)
       VALUES ($1, $2, 'inc_a', now() - interval '400 days'), ($1, $3, 'inc_b', now() - interval '400 days'),
              ($1, $4, 'inc_c', now() - interval '10 days')`,
      [d.dept, old, nominated, recent],
    );
    await http()
      .post('/v1/nominations')
      .set('authorization', await d.staff('coordinator'))
      .send(nominationBody({ personId: nominated, name: undefined, birthDate: undefined, ageRange: '18-24' }));
    expect(await t.app.get(PersonRetentionService).sweep(365)).toBe(1);
    const left = await t.db.ownerDataSource.query(
      `SELECT person_id FROM conference_person WHERE department_id = $1 ORDER BY person_id`,
      [d.dept],
    );
    expect(left.map((r: { person_id: string }) => r.person_id)).toEqual([nominated, recent].sort());
  });

  it('the presentation is edited before the table only; each edit is a filter-1 step', async () => {
    const d = await department();
    const created = await http()
      .post('/v1/nominations')
      .set('authorization', await d.staff('officer'))
      .send(nominationBody());
    const id = created.body.nominationId as string;
    const patched = await http()
      .patch(`/v1/nominations/${id}`)
      .set('authorization', await d.staff('coordinator'))
      .send({ ageRange: '25-34', riskFactors: ['housing', 'mental-health'], expectedVersion: 1 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      presentation: { ageRange: '25-34', riskFactors: ['mental-health', 'housing'] },
      version: 2,
    });
    const stale = await http()
      .patch(`/v1/nominations/${id}`)
      .set('authorization', await d.staff('coordinator'))
      .send({ gender: 'male', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    const officer = await http()
      .patch(`/v1/nominations/${id}`)
      .set('authorization', await d.staff('officer'))
      .send({ gender: 'male' });
    expect(officer.status).toBe(403);
    const steps = await t.db.ownerDataSource.query(
      `SELECT filter, action FROM privacy_step WHERE department_id = $1 AND nomination_id = $2 ORDER BY id`,
      [d.dept, id],
    );
    expect(steps).toEqual([
      { filter: 1, action: 'presented' },
      { filter: 1, action: 'presented' },
    ]);
  });

  it('documents every nomination and four-filter route at /docs', async () => {
    const doc = await http().get('/docs-json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      '/v1/nominations',
      '/v1/nominations/{id}',
      '/v1/nominations/{id}/verify',
      '/v1/nominations/{id}/withdraw',
      '/v1/nominations/{id}/privacy-trail',
      '/v1/partner/nominations',
      '/v1/partner/nominations/{id}',
      '/v1/public/departments/{departmentId}/nominations',
      '/v1/sessions/{sessionId}/cases/{nominationId}/risk-decision',
    ]) {
      expect(paths).toContain(path);
    }
    expect(doc.body.paths['/v1/nominations'].post.requestBody).toBeDefined();
  });
});
