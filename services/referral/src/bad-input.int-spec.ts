/**
 * Bad input on every referral route: malformed ids, bodies and query strings answer problem+json
 * (never a 5xx), name the field, and store nothing.
 */
import { newId } from '@cit/contracts';
import { startReferralTestApp, type ReferralTestApp } from './testing/referral-test-app';

describe('referral bad input', () => {
  let t: ReferralTestApp;
  const tables = [
    'partner_agency',
    'directory_service',
    'mou',
    'consent',
    'referral',
    'disclosure',
    'webhook_endpoint',
    'webhook_delivery',
    'outbox',
  ];
  const counts = async () =>
    Promise.all(
      tables.map(async (tb) =>
        Number(((await t.db.ownerDataSource.query(`SELECT count(*) AS n FROM ${tb}`)) as { n: string }[])[0]!.n),
      ),
    );

  beforeAll(async () => {
    t = await startReferralTestApp('referral_bad');
  }, 120000);

  afterAll(async () => {
    await t?.close();
  });

  it('answers problem+json without a 5xx and changes nothing', async () => {
    const admin = await t.token('admin');
    const coordinator = await t.token('coordinator');
    const partner = await t.partnerToken(`p-${t.run}`);
    const ref = newId('ref');
    const cases: [string, string, string, unknown, number][] = [
      ['POST', '/v1/directory/hsds', admin, { organizations: 'x' }, 400],
      ['POST', '/v1/directory/hsds', admin, [], 400],
      ['PUT', '/v1/mous/Bad%20Id', admin, {}, 400],
      [
        'PUT',
        `/v1/mous/m-${t.run}`,
        admin,
        { agencyId: 'x', template: 'nope', effectiveFrom: 'x', expiresOn: 'y', documentRef: '' },
        400,
      ],
      ['GET', '/v1/mous?expiringWithinDays=abc', coordinator, undefined, 400],
      ['GET', '/v1/mous?colour=red', coordinator, undefined, 400],
      ['POST', '/v1/referrals', coordinator, { needs: ['flying'], urgency: 'now' }, 400],
      [
        'POST',
        '/v1/referrals',
        coordinator,
        { needs: ['housing'], urgency: 'routine', riskLevel: 'routine', extra: 1 },
        400,
      ],
      [
        'POST',
        '/v1/referrals',
        coordinator,
        { needs: ['housing'], urgency: 'routine', riskLevel: 'routine', packet: { name: 'a\u0000b' } },
        400,
      ],
      ['GET', '/v1/referrals/not-an-id', coordinator, undefined, 404],
      ['GET', `/v1/referrals/${ref}`, coordinator, undefined, 404],
      ['GET', `/v1/referrals/${ref}/fhir`, coordinator, undefined, 404],
      ['POST', `/v1/referrals/${ref}/reassign`, coordinator, { agencyId: 'Bad Agency' }, 400],
      ['POST', `/v1/referrals/${ref}/cancel`, coordinator, { reasonCode: 'because' }, 400],
      ['POST', `/v1/referrals/${ref}/cancel`, coordinator, { reasonCode: 'other' }, 404],
      ['POST', '/v1/persons/nope/consents', coordinator, { categories: ['identity'] }, 404],
      ['POST', `/v1/persons/${newId('per')}/consents`, coordinator, { categories: [] }, 400],
      [
        'POST',
        `/v1/persons/${newId('per')}/consents`,
        coordinator,
        { categories: ['identity'], expiresAt: '2000-01-01T00:00:00Z' },
        400,
      ],
      ['PUT', '/v1/partner/services/not-a-uuid/capacity', partner, { available: 1 }, 404],
      ['PUT', '/v1/partner/services/00000000-0000-4000-8000-000000000000/capacity', partner, { available: -1 }, 400],
      ['PUT', '/v1/partner/services/00000000-0000-4000-8000-000000000000/capacity', partner, { available: 1 }, 404],
      ['PUT', '/v1/partner/webhook', partner, { url: 'javascript:alert(1)' }, 400],
      ['POST', '/v1/partner/webhook/rotate', partner, undefined, 404],
      ['GET', '/v1/partner/referrals?limit=0', partner, undefined, 400],
      ['GET', '/v1/partner/referrals?cursor=%00', partner, undefined, 400],
      ['POST', `/v1/partner/referrals/${ref}/status`, partner, { status: 'done' }, 400],
      ['POST', `/v1/partner/referrals/${ref}/status`, partner, { status: 'received' }, 404],
      ['PUT', '/v1/referral-settings', admin, { timezone: 'Mars/Olympus', routingMode: 'single', maxAgencies: 1 }, 400],
      ['POST', '/v1/referrals', partner, { needs: ['housing'], urgency: 'routine', riskLevel: 'routine' }, 403],
      ['GET', '/v1/partner/referrals', coordinator, undefined, 403],
    ];
    const before = await counts();
    for (const [method, path, token, body, status] of cases) {
      const res = await fetch(`${t.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      expect({ method, path, status: res.status }).toEqual({ method, path, status });
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      if (status === 400) expect(JSON.parse(text).errors?.length ?? JSON.parse(text).detail?.length).toBeGreaterThan(0);
    }
    const malformed = await fetch(`${t.url}/v1/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${coordinator}`, 'content-type': 'application/json' },
      body: '{"needs": [',
    });
    expect(malformed.status).toBe(400);
    expect(await counts()).toEqual(before);
  });
});
