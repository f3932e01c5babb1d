import request from 'supertest';
import { ProgramModule } from './program.module';
import { startTriageTestApp, type TriageTestApp } from '../testing/triage-test-app';
import { StaffDirectoryService } from './staff/staff-directory.service';
import { PROGRAM_VERSION_PROBLEM } from './put-program/put-program.service';
import { DEFAULT_PROGRAM_SETTINGS } from './program-settings';

describe('program settings and staff (real PostgreSQL, runtime role under RLS)', () => {
  let t: TriageTestApp;
  const tokens: Record<string, string> = {};
  const http = () => request(t.url);
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const settings = {
    ...DEFAULT_PROGRAM_SETTINGS,
    model: 'social-justice',
    mission: 'Care, not custody.',
    reviewPolicy: { mode: 'risk-levels', riskLevels: ['urgent'] },
    repeatContactRule: { incidents: 4, windowDays: 60 },
    diversionProgram: true,
  };

  beforeAll(async () => {
    t = await startTriageTestApp('triage_program', { feature: ProgramModule });
    for (const [who, role, dept] of [
      ['admin', 'admin', 'dept-a'],
      ['supervisor', 'supervisor', 'dept-a'],
      ['otherAdmin', 'admin', 'dept-b'],
    ] as const)
      tokens[who] = await t.token(role, dept);
  });
  afterAll(() => t?.close());

  it('answers the defaults until an admin saves settings, then the saved ones with a version; other departments unaffected', async () => {
    const before = await http().get('/v1/program').set(as('admin')).expect(200);
    expect(before.body).toMatchObject({ isDefault: true, version: 0, model: 'in-house-clinical' });

    const saved = await http()
      .put('/v1/program')
      .set(as('admin'))
      .send({ ...settings, expectedVersion: 0 })
      .expect(200);
    expect(saved.body).toMatchObject({
      isDefault: false,
      version: 1,
      model: 'social-justice',
      effects: { assignsSectors: true, supervisorReviewsAll: true },
      repeatContactRule: { incidents: 4, windowDays: 60 },
    });
    expect((await http().get('/v1/program').set(as('admin')).expect(200)).body.version).toBe(1);
    expect((await http().get('/v1/program').set(as('otherAdmin')).expect(200)).body.isDefault).toBe(true);

    const stale = await http()
      .put('/v1/program')
      .set(as('admin'))
      .send({ ...settings, expectedVersion: 0 })
      .expect(409);
    expect(stale.body.type).toBe(PROGRAM_VERSION_PROBLEM);
  });

  it('admin only', async () => {
    await http().get('/v1/program').set(as('supervisor')).expect(403);
    await http().put('/v1/program').set(as('supervisor')).send(settings).expect(403);
  });

  it('refuses bad settings naming the field and changes nothing', async () => {
    const before = (await http().get('/v1/program').set(as('admin'))).body.version;
    for (const [patch, field] of [
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ businessHours: [{ day: 'mon', opens: '17:00', closes: '09:00' }] }, 'businessHours.0.closes'],
      [{ reviewPolicy: { mode: 'risk-levels', riskLevels: [] } }, 'reviewPolicy.riskLevels'],
      [{ contactCadence: ['tomorrow'] }, 'contactCadence.0'],
      [{ repeatContactRule: { incidents: 1, windowDays: 30 } }, 'repeatContactRule.incidents'],
      [{ model: 'vigilante' }, 'model'],
      [{ surprise: true }, 'surprise'],
    ] as const) {
      const res = await http()
        .put('/v1/program')
        .set(as('admin'))
        .send({ ...settings, ...patch })
        .expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await http().get('/v1/program').set(as('admin'))).body.version).toBe(before);
  });

  it('records staff with roles, unit or sector and CJIS clearance; isCjisCleared follows clearance, expiry, activity and department', async () => {
    const member = {
      subject: 'clin-1',
      displayName: 'Dana Clinician',
      roles: ['clinician'],
      unit: 'COHR',
      sector: 'mental-health',
      cjisCleared: true,
      cjisExpiresOn: null,
      active: true,
    };
    const created = await http().post('/v1/staff').set(as('admin')).send(member).expect(201);
    expect(created.body.id).toMatch(/^stf_/);
    await http()
      .post('/v1/staff')
      .set(as('otherAdmin'))
      .send({ ...member, cjisCleared: false })
      .expect(201);
    const dup = await http().post('/v1/staff').set(as('admin')).send(member).expect(400);
    expect(dup.body.errors[0].field).toBe('subject');

    const directory = t.app.get(StaffDirectoryService);
    const cleared = (dept: string) =>
      t.db.dataSource.transaction(async (em) => {
        await em.query(`SELECT set_config('app.department_id', $1, true)`, [dept]);
        return directory.isCjisCleared(em, dept, 'clin-1');
      });
    expect(await cleared('dept-a')).toBe(true);
    expect(await cleared('dept-b')).toBe(false);

    await http()
      .put(`/v1/staff/${created.body.id}`)
      .set(as('admin'))
      .send({ ...member, cjisExpiresOn: '2020-01-01' })
      .expect(200);
    expect(await cleared('dept-a')).toBe(false);
    await http()
      .put(`/v1/staff/${created.body.id}`)
      .set(as('admin'))
      .send({ ...member, active: false })
      .expect(200);
    expect(await cleared('dept-a')).toBe(false);

    // Another department's staff member is not found (404), and nothing of it changes.
    await http().put(`/v1/staff/${created.body.id}`).set(as('otherAdmin')).send(member).expect(404);
    const list = await http().get('/v1/staff?role=clinician').set(as('supervisor')).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ subject: 'clin-1', active: false, sector: 'mental-health' });
  });
});
