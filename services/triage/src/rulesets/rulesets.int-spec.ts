import request from 'supertest';
import { RulesetsModule } from './rulesets.module';
import { startTriageTestApp, type TriageTestApp } from '../testing/triage-test-app';
import { DEFAULT_RULESET } from './domain/default-ruleset';

describe('rulesets API (real PostgreSQL, runtime role under RLS)', () => {
  let t: TriageTestApp;
  const tokens: Record<string, string> = {};
  const http = () => request(t.url);
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const flags = { juvenile: false, senior: false, veteran: false, experiencingHomelessness: false };
  const sample = (observations: string[], relatedTo = 'mental-health') => ({
    callType: 'welfare-check',
    encounter: 'non-criminal',
    behavioralHealth: { relatedTo, observations, suspectedUsing: ['N'] },
    subject: { flags },
  });
  const count = async (table: string) =>
    Number((await t.db.ownerDataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    t = await startTriageTestApp('triage_rulesets', { feature: RulesetsModule });
    for (const [who, role, dept] of [
      ['admin', 'admin', 'dept-a'],
      ['clinician', 'clinician', 'dept-a'],
      ['otherAdmin', 'admin', 'dept-b'],
    ] as const)
      tokens[who] = await t.token(role, dept);
  });
  afterAll(() => t?.close());

  it('serves the default ruleset as version 0, in force until the department activates its own', async () => {
    const list = await http().get('/v1/rulesets').set(as('clinician')).expect(200);
    expect(list.body.activeVersion).toBe(0);
    const def = await http().get('/v1/rulesets/0').set(as('clinician')).expect(200);
    expect(def.body.ruleset).toEqual(DEFAULT_RULESET);
    await http().get('/v1/rulesets/7').set(as('clinician')).expect(404);
    await http().get('/v1/rulesets/x1').set(as('clinician')).expect(404);
  });

  it('refuses an invalid ruleset with problem+json naming each rule part by path, and stores nothing', async () => {
    const bad = {
      name: 'broken',
      rules: [
        DEFAULT_RULESET.rules[0],
        { ...DEFAULT_RULESET.rules[1], when: { all: [{ fact: 'observations', includes: 'sadness' }] } },
        { ...DEFAULT_RULESET.rules[2], then: { risk: 'high' } },
      ],
    };
    const res = await http().post('/v1/rulesets').set(as('admin')).send(bad).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'rules.1.when.all.0.includes',
      'rules.2.then.risk',
    ]);
    expect(await count('rulesets')).toBe(0);
  });

  it('uploads versions 1, 2 per department; dry-run shows decisions and stores nothing; activation puts one in force', async () => {
    const mine = {
      name: 'escalate everything',
      rules: [
        {
          id: 'all-mh-urgent',
          description: 'Every mental-health call is urgent',
          when: { fact: 'relatedTo', equals: 'mental-health' },
          then: { risk: 'urgent', needs: ['mental-health'], pathways: ['clinician-outreach'] },
        },
      ],
    };
    expect((await http().post('/v1/rulesets').set(as('admin')).send(mine).expect(201)).body.version).toBe(1);
    expect((await http().post('/v1/rulesets').set(as('admin')).send(mine).expect(201)).body.version).toBe(2);
    expect((await http().post('/v1/rulesets').set(as('otherAdmin')).send(mine).expect(201)).body.version).toBe(1);
    await http().post('/v1/rulesets').set(as('clinician')).send(mine).expect(403);

    const before = {
      rulesets: await count('rulesets'),
      active: await count('ruleset_active'),
      outbox: await count('outbox'),
    };
    const dry = await http()
      .post('/v1/rulesets/2/dry-run')
      .set(as('clinician'))
      .send({ incidents: [sample([]), sample(['suicidal-statements', 'weapon-present']), sample([], 'neither')] })
      .expect(200);
    expect(dry.body.decisions.map((d: { riskLevel: string }) => d.riskLevel)).toEqual(['urgent', 'urgent', 'none']);
    expect(dry.body.decisions[0].fired[0]).toEqual({
      ruleId: 'all-mh-urgent',
      path: 'rules.0',
      why: 'relatedTo is mental-health',
    });
    const dflt = await http()
      .post('/v1/rulesets/0/dry-run')
      .set(as('clinician'))
      .send({ incidents: [sample(['suicidal-statements', 'weapon-present'])] })
      .expect(200);
    expect(dflt.body.decisions[0]).toMatchObject({
      riskLevel: 'imminent',
      imminentThreat164512j: true,
      pathways: ['mobile-crisis-now', 'clinician-outreach'],
    });
    expect({
      rulesets: await count('rulesets'),
      active: await count('ruleset_active'),
      outbox: await count('outbox'),
    }).toEqual(before);

    const badSample = await http()
      .post('/v1/rulesets/2/dry-run')
      .set(as('clinician'))
      .send({ incidents: [{ ...sample([]), encounter: 'maybe' }] })
      .expect(400);
    expect(badSample.body.errors[0].field).toBe('incidents.0.encounter');

    await http().post('/v1/rulesets/9/activate').set(as('admin')).expect(404);
    await http().post('/v1/rulesets/2/activate').set(as('admin')).expect(200);
    expect((await http().get('/v1/rulesets').set(as('admin'))).body.activeVersion).toBe(2);
    expect((await http().get('/v1/rulesets').set(as('otherAdmin'))).body.activeVersion).toBe(0);
  });
});
