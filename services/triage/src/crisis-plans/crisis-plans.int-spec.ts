import { Module } from '@nestjs/common';
import { AuditModule } from '@cit/audit';
import { tenantTransaction } from '@cit/persistence';
import request from 'supertest';
import { startTriageTestApp, type TriageTestApp } from '../testing/triage-test-app';
import { CrisisPlansModule } from './crisis-plans.module';
import { CrisisPlansService } from './crisis-plans.service';

@Module({ imports: [AuditModule.forService('triage'), CrisisPlansModule] })
class CrisisPlansFeature {}

// Crisis response plans on the real database (runtime role under RLS), with the PHI access audit.
describe('crisis response plans', () => {
  let t: TriageTestApp;
  const tokens: Record<string, string> = {};
  const http = () => request(t.url);
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const person = 'per_0000000000000000000000000000d001';
  const plan = {
    content: {
      whoToCall: [{ name: 'Maria Souza', relationship: 'family', phone: '+1 617 555 0142' }],
      whatHelps: ['Speak slowly'],
      whatEscalates: ['Raised voices'],
      safetyNotes: 'Startles at sirens',
      preferredLanguage: 'pt-BR',
    },
    reviewDate: '2099-03-01',
  };

  beforeAll(async () => {
    t = await startTriageTestApp('triage_crisis_plans', { feature: CrisisPlansFeature });
    for (const [who, role, dept] of [
      ['coordinator', 'coordinator', 'dept-a'],
      ['clinician', 'clinician', 'dept-a'],
      ['officer', 'officer', 'dept-a'],
      ['clearedOfficer', 'officer', 'dept-a'],
      ['expiredOfficer', 'officer', 'dept-a'],
      ['otherOfficer', 'officer', 'dept-b'],
      ['otherCoordinator', 'coordinator', 'dept-b'],
    ] as const)
      tokens[who] = await t.token(role, dept, `${who}-1`);
  });
  afterAll(() => t?.close());

  it('a coordinator writes versions (encrypted at rest); the current one is read back; older versions are kept', async () => {
    const hasPlan = () =>
      tenantTransaction(t.db.dataSource, 'dept-a', (em) =>
        t.app.get(CrisisPlansService).hasCurrentPlan(em, 'dept-a', person),
      );
    expect(await hasPlan()).toBe(false);
    const v1 = await http()
      .put(`/v1/persons/${person}/crisis-plan`)
      .set(as('coordinator'))
      .send({ ...plan, expectedVersion: 0 })
      .expect(200);
    expect(v1.body).toMatchObject({ personId: person, version: 1, reviewDate: '2099-03-01', reviewDue: false });
    expect(await hasPlan()).toBe(true);
    const v2 = await http()
      .put(`/v1/persons/${person}/crisis-plan`)
      .set(as('coordinator'))
      .send({ ...plan, content: { ...plan.content, whatHelps: ['Music'] }, expectedVersion: 1 })
      .expect(200);
    expect(v2.body.version).toBe(2);
    const stale = await http()
      .put(`/v1/persons/${person}/crisis-plan`)
      .set(as('coordinator'))
      .send({ ...plan, expectedVersion: 1 })
      .expect(409);
    expect(stale.body.detail).toContain('expectedVersion');

    const read = await http().get(`/v1/persons/${person}/crisis-plan`).set(as('clinician')).expect(200);
    expect(read.body).toMatchObject({ version: 2, content: { whatHelps: ['Music'], preferredLanguage: 'pt-BR' } });
    const versions = await http().get(`/v1/persons/${person}/crisis-plan/versions`).set(as('coordinator')).expect(200);
    expect(versions.body.items.map((v: { version: number; retiredAt?: string }) => [v.version, !!v.retiredAt])).toEqual(
      [
        [2, false],
        [1, true],
      ],
    );
    const first = await http().get(`/v1/persons/${person}/crisis-plan/versions/1`).set(as('coordinator')).expect(200);
    expect(first.body).toMatchObject({ version: 1, content: { whatHelps: ['Speak slowly'] } });
    expect(first.body.retiredAt).toBeDefined();
    await http().get(`/v1/persons/${person}/crisis-plan/versions/9`).set(as('coordinator')).expect(404);
    await http().get(`/v1/persons/${person}/crisis-plan/versions/x`).set(as('coordinator')).expect(404);

    const rows = await t.db.ownerDataSource.query(
      'SELECT version, content_ciphertext, retired_at FROM crisis_plan WHERE person_id = $1 ORDER BY version',
      [person],
    );
    expect(rows.map((r: { version: number; retired_at: Date | null }) => [r.version, r.retired_at === null])).toEqual([
      [1, false],
      [2, true],
    ]);
    for (const r of rows) {
      expect(r.content_ciphertext).toMatch(/^enc:v2:/);
      expect(r.content_ciphertext).not.toMatch(/Maria|sirens|Music/);
    }
    const audit = await t.db.ownerDataSource.query(
      `SELECT action, record_type, actor_subject FROM audit_log WHERE $1 = ANY(person_ids) ORDER BY seq`,
      [person],
    );
    expect(audit).toEqual([
      { action: 'create', record_type: 'crisis-plan', actor_subject: 'coordinator-1' },
      { action: 'create', record_type: 'crisis-plan', actor_subject: 'coordinator-1' },
      { action: 'read', record_type: 'crisis-plan', actor_subject: 'clinician-1' },
      { action: 'read', record_type: 'crisis-plan', actor_subject: 'coordinator-1' },
      { action: 'read', record_type: 'crisis-plan', actor_subject: 'coordinator-1' },
      { action: 'read', record_type: 'crisis-plan', actor_subject: 'coordinator-1' },
    ]);
  });

  it('refuses bad input naming the field; other departments and officers do not see plans here', async () => {
    for (const [body, field] of [
      [{ ...plan, reviewDate: '2001-01-01' }, 'reviewDate'],
      [{ ...plan, content: { ...plan.content, preferredLanguage: 'Portuguese!' } }, 'content.preferredLanguage'],
      [
        { ...plan, content: { ...plan.content, whoToCall: [{ name: 'X', relationship: 'friend' }] } },
        'content.whoToCall.0.relationship',
      ],
    ] as const) {
      const res = await http().put(`/v1/persons/${person}/crisis-plan`).set(as('coordinator')).send(body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    await http().get(`/v1/persons/${person}/crisis-plan`).set(as('otherCoordinator')).expect(404);
    await http().get(`/v1/persons/${person}/crisis-plan`).set(as('officer')).expect(403);
    const [{ count }] = await t.db.ownerDataSource.query(
      'SELECT count(*)::int AS count FROM crisis_plan WHERE person_id = $1',
      [person],
    );
    expect(count).toBe(2);
  });

  describe('from an incident (GET /v1/incidents/{incidentId}/crisis-plan)', () => {
    const incident = 'inc_0000000000000000000000000000e001';
    const bare = 'inc_0000000000000000000000000000e002';

    beforeAll(async () => {
      // Triage's record of the incidents (normally from cit.incident.reported.v1) and the staff directory.
      for (const [id, dept, personId] of [
        [incident, 'dept-a', person],
        [bare, 'dept-a', 'per_0000000000000000000000000000d0ff'],
        ['inc_0000000000000000000000000000e003', 'dept-b', person],
      ] as const)
        await t.db.ownerDataSource.query(
          `INSERT INTO triage_intake (incident_id, department_id, source_event_id, correlation_id, call_type, bh_related_to,
             subject_count, occurred_at, person_id)
           VALUES ($1, $2, gen_random_uuid(), 'cor-1', 'welfare-check', 'mental-health', 1, now(), $3)`,
          [id, dept, personId],
        );
      for (const [id, dept, subject, cleared, expires] of [
        ['stf_1', 'dept-a', 'clearedOfficer-1', true, null],
        ['stf_2', 'dept-a', 'officer-1', false, null],
        ['stf_3', 'dept-a', 'expiredOfficer-1', true, '2001-01-01'],
        ['stf_4', 'dept-b', 'otherOfficer-1', true, null],
      ] as const)
        await t.db.ownerDataSource.query(
          `INSERT INTO staff_members (department_id, id, subject, display_name, roles, cjis_cleared, cjis_expires_on)
           VALUES ($1, $2, $3, 'x', '{officer}', $4, $5::date)`,
          [dept, id, subject, cleared, expires],
        );
    });

    const auditOf = (recordId: string) =>
      t.db.ownerDataSource.query(
        'SELECT action, record_type, actor_subject, outcome FROM audit_log WHERE record_id = $1 ORDER BY seq',
        [recordId],
      );

    it('a CJIS-cleared officer reads the plan of the person on the incident; the read is audited', async () => {
      const res = await http().get(`/v1/incidents/${incident}/crisis-plan`).set(as('clearedOfficer')).expect(200);
      expect(res.body).toMatchObject({
        incidentId: incident,
        plan: { personId: person, version: 2, content: { whatHelps: ['Music'], preferredLanguage: 'pt-BR' } },
      });
      expect((await auditOf(res.body.plan.id)).at(-1)).toEqual({
        action: 'read',
        record_type: 'crisis-plan',
        actor_subject: 'clearedOfficer-1',
        outcome: 'success',
      });
    });

    it('not cleared (or clearance expired) → 403, the refusal audited, nothing disclosed', async () => {
      for (const who of ['officer', 'expiredOfficer']) {
        const res = await http().get(`/v1/incidents/${incident}/crisis-plan`).set(as(who)).expect(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.type).toContain('cjis-clearance-required');
        expect(JSON.stringify(res.body)).not.toMatch(/Music|Maria/);
      }
      expect(await auditOf(incident)).toEqual([
        { action: 'read', record_type: 'incident-crisis-plan', actor_subject: 'officer-1', outcome: 'denied' },
        { action: 'read', record_type: 'incident-crisis-plan', actor_subject: 'expiredOfficer-1', outcome: 'denied' },
      ]);
      await http().get(`/v1/incidents/${incident}/crisis-plan`).set(as('clinician')).expect(403);
    });

    it('404 for an incident without a plan, an unknown incident, or another department’s incident', async () => {
      await http().get(`/v1/incidents/${bare}/crisis-plan`).set(as('clearedOfficer')).expect(404);
      await http()
        .get('/v1/incidents/inc_0000000000000000000000000000e0ff/crisis-plan')
        .set(as('clearedOfficer'))
        .expect(404);
      await http().get(`/v1/incidents/${incident}/crisis-plan`).set(as('otherOfficer')).expect(404);
      await http()
        .get('/v1/incidents/inc_0000000000000000000000000000e003/crisis-plan')
        .set(as('otherOfficer'))
        .expect(404);
    });
  });
});
