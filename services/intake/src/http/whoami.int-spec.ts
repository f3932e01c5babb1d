/**
 * The chassis' trivial authenticated route, GET /v1/whoami (every service has it; the
 * benchmarks measure real routes against it): the verified caller, 401 problem+json without
 * a valid token, partners admitted.
 */
import { issueDevToken } from '@cit/auth';
import request from 'supertest';
import { startIntakeTestApp, type IntakeTestApp } from '../testing/intake-test-app';

describe('GET /v1/whoami (chassis, real app)', () => {
  let t: IntakeTestApp;

  beforeAll(async () => {
    t = await startIntakeTestApp('whoami');
  });
  afterAll(() => t?.close());

  it('answers the verified caller: subject, kind, roles and department', async () => {
    const token = await issueDevToken({ roles: ['officer', 'clinician'], department: 'dept-w', subject: 'officer-7' });
    const res = await request(t.url).get('/v1/whoami').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      subject: 'officer-7',
      kind: 'staff',
      roles: ['officer', 'clinician'],
      departmentId: 'dept-w',
    });
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('admits a partner agency and names its agency', async () => {
    const token = await issueDevToken({ department: 'dept-w', agency: 'agency-3' });
    const res = await request(t.url).get('/v1/whoami').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'partner',
      roles: ['partner'],
      departmentId: 'dept-w',
      agencyId: 'agency-3',
    });
  });

  it('refuses a missing or expired token with 401 problem+json', async () => {
    const missing = await request(t.url).get('/v1/whoami');
    expect(missing.status).toBe(401);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    const expired = await issueDevToken({ role: 'officer', department: 'dept-w', ttl: -60 });
    const res = await request(t.url).get('/v1/whoami').set('authorization', `Bearer ${expired}`);
    expect(res.status).toBe(401);
  });

  it('is in the OpenAPI document with bearer auth', async () => {
    const doc = (await (await fetch(`${t.url}/docs-json`)).json()) as {
      paths: Record<string, { get?: { security?: unknown[] } }>;
    };
    expect(doc.paths['/v1/whoami']?.get?.security).toEqual([{ bearer: [] }]);
  });
});
