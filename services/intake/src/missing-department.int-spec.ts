/**
 * A validly signed token without a department has no tenant: every route answers 401
 * problem+json before anything is read or written.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_AUDIENCE, defaultDevIssuerUrl, loadOrCreateDevSigningKey } from '@cit/auth';
import { createIncidentExample } from '@cit/contracts';
import { SignJWT } from 'jose';
import { startIntakeTestApp, type IntakeTestApp } from './testing/intake-test-app';

describe('a token without a department (intake over HTTP)', () => {
  let t: IntakeTestApp;
  beforeAll(async () => {
    t = await startIntakeTestApp('intake_no_department');
  });
  afterAll(() => t?.close());

  async function token(claims: Record<string, unknown>): Promise<string> {
    const key = await loadOrCreateDevSigningKey();
    return new SignJWT({ roles: ['officer', 'supervisor', 'admin'], ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .setSubject('u-no-dept')
      .setIssuer(defaultDevIssuerUrl())
      .setAudience(process.env.AUTH_AUDIENCE || DEFAULT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(randomUUID())
      .sign(key.privateKey);
  }

  const counts = async () =>
    (await t.db.ownerDataSource.query(
      `SELECT (SELECT count(*)::int FROM incident) AS incidents, (SELECT count(*)::int FROM outbox) AS events, (SELECT count(*)::int FROM import_job) AS imports`,
    )) as unknown[];

  it('answers 401 problem+json on reads and writes, and stores nothing', async () => {
    const before = await counts();
    for (const claims of [{}, { department_id: '' }, { department_id: 'dept a' }]) {
      const bearer = { authorization: `Bearer ${await token(claims)}` };
      const requests = [
        fetch(`${t.url}/v1/incidents`, { headers: bearer }),
        fetch(`${t.url}/v1/incidents`, {
          method: 'POST',
          headers: { ...bearer, 'content-type': 'application/json' },
          body: JSON.stringify(createIncidentExample),
        }),
        fetch(`${t.url}/v1/imports?format=ndjson`, {
          method: 'POST',
          headers: { ...bearer, 'content-type': 'application/x-ndjson' },
          body: JSON.stringify(createIncidentExample),
        }),
      ];
      for (const res of await Promise.all(requests)) {
        expect({ claims, url: res.url, status: res.status, type: res.headers.get('content-type') }).toEqual({
          claims,
          url: res.url,
          status: 401,
          type: expect.stringContaining('application/problem+json'),
        });
        expect(await res.json()).toMatchObject({ status: 401 });
      }
    }
    expect(await counts()).toEqual(before);
  });
});
