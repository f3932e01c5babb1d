/**
 * The HSDS 3.1 directory on the real PostgreSQL: import validated against the vendored HSDS
 * schemas (refused whole with JSON pointers), export valid against the same schemas with live
 * capacity, partners updating only their own capacity, MOUs and their expiry listing.
 */
import { apiFor, ALWAYS, directoryDocument, type Api } from '../testing/fixtures';
import { startReferralTestApp, type ReferralTestApp } from '../testing/referral-test-app';
import { HsdsValidator } from './hsds-validator';
import { stableUuid } from './hsds-mapping';

describe('partner directory (HSDS 3.1) and MOUs', () => {
  let t: ReferralTestApp;
  let api: Api;
  let admin: string;
  const validator = new HsdsValidator();
  const count = async (table: string) =>
    Number(((await t.db.ownerDataSource.query(`SELECT count(*) AS n FROM ${table}`)) as { n: string }[])[0]!.n);

  const agencies = () => [
    {
      id: `mc-${t.run}`,
      name: 'Mobile Crisis',
      service: {
        key: 'mci',
        name: 'MCI',
        kind: 'mobile-crisis' as const,
        needs: ['mental-health'],
        hours: ALWAYS,
        available: 3,
        maximum: 5,
        afterHours: true,
      },
    },
    {
      id: `hs-${t.run}`,
      name: 'Housing',
      service: { key: 'hs', name: 'Housing', kind: 'housing' as const, needs: ['housing'], available: 1, maximum: 2 },
    },
  ];

  beforeAll(async () => {
    t = await startReferralTestApp('referral_dir');
    api = apiFor(t.url);
    admin = await t.token('admin');
  }, 120000);

  afterAll(async () => {
    await t?.close();
  });

  it('imports a valid HSDS document and exports one that validates against the HSDS schemas, with live capacity', async () => {
    const doc = directoryDocument(agencies());
    const res = await api('POST', '/v1/directory/hsds', admin, doc);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ organizations: 2, services: 2 });

    const partner = await t.partnerToken(`mc-${t.run}`);
    const serviceId = stableUuid('service', `mc-${t.run}`, 'mci');
    const cap = await api('PUT', `/v1/partner/services/${serviceId}/capacity`, partner, { available: 1, maximum: 6 });
    expect(cap.status).toBe(200);

    const exported = await api('GET', '/v1/directory/hsds', await t.token('coordinator'));
    expect(exported.status).toBe(200);
    expect(validator.validateDocument(exported.body)).toEqual([]);
    const svc = exported.body.services.find((s: { id: string }) => s.id === serviceId);
    expect(svc.capacities[0]).toMatchObject({ available: 1, maximum: 6 });
    expect(exported.body.organizations.map((o: { name: string }) => o.name).sort()).toEqual([
      'Housing',
      'Mobile Crisis',
    ]);
  });

  it('refuses a document failing the schema with the JSON pointer of each error, and changes nothing', async () => {
    const before = [await count('partner_agency'), await count('directory_service')];
    const doc = directoryDocument([
      ...agencies(),
      {
        id: `new-${t.run}`,
        name: 'New',
        service: { key: 'n', name: 'N', kind: 'shelter', needs: ['housing'], available: 1, maximum: 1 },
      },
    ]);
    doc.organizations[0]!.id = 'not-a-uuid';
    (doc.services[1]!.capacities as { available: number }[])[0]!.available = -2;
    delete (doc.services[2] as Record<string, unknown>).status;
    const res = await api('POST', '/v1/directory/hsds', admin, doc);
    expect(res.status).toBe(400);
    expect(res.body.type).toMatch(/validation-error$/);
    const pointers = res.body.errors.map((e: { field: string }) => e.field);
    expect(pointers).toEqual(expect.arrayContaining(['/organizations/0/id', '/services/2/status']));
    expect([await count('partner_agency'), await count('directory_service')]).toEqual(before);

    // Valid HSDS, but a capacity below zero is refused by the directory's own rules.
    const negative = directoryDocument(agencies());
    (negative.services[1]!.capacities as { available: number }[])[0]!.available = -1;
    const res2 = await api('POST', '/v1/directory/hsds', admin, negative);
    expect(res2.status).toBe(400);
    expect(res2.body.errors).toEqual([
      { field: '/services/1/capacities/0/available', detail: expect.stringContaining('zero or more') },
    ]);
    expect([await count('partner_agency'), await count('directory_service')]).toEqual(before);
  });

  it('lets a partner change only its own capacity; a negative capacity changes nothing', async () => {
    const own = await t.partnerToken(`hs-${t.run}`);
    const other = stableUuid('service', `mc-${t.run}`, 'mci');
    const read = async () =>
      (
        (await t.db.ownerDataSource.query('SELECT capacity_available AS a FROM directory_service WHERE id = $1', [
          other,
        ])) as { a: number }[]
      )[0]!.a;
    const before = await read();
    expect((await api('PUT', `/v1/partner/services/${other}/capacity`, own, { available: 9 })).status).toBe(404);
    const mine = await t.partnerToken(`mc-${t.run}`);
    const bad = await api('PUT', `/v1/partner/services/${other}/capacity`, mine, { available: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('available');
    expect(await read()).toBe(before);
    expect((await api('PUT', `/v1/partner/services/${other}/capacity`, admin, { available: 2 })).status).toBe(403);
  });

  it('keeps MOUs with their terms, announces changes, and lists those expiring within N days', async () => {
    // Dates count in the department's time zone; UTC here so that the test's own dates agree.
    const settings = await api('PUT', '/v1/referral-settings', admin, {
      timezone: 'UTC',
      routingMode: 'single',
      maxAgencies: 1,
    });
    expect(settings.status).toBe(200);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const soon = await api('PUT', `/v1/mous/mou-soon-${t.run}`, admin, {
      agencyId: `mc-${t.run}`,
      template: 'emergency-service-provider',
      effectiveFrom: day(-100),
      expiresOn: day(30),
      documentRef: 'mous/mc.pdf',
    });
    expect(soon.status).toBe(200);
    expect(soon.body.terms.categories['substance-use']).toEqual({ shared: true, consentRequired: true });
    const later = await api('PUT', `/v1/mous/mou-later-${t.run}`, admin, {
      agencyId: `hs-${t.run}`,
      template: 'community-action-agency',
      effectiveFrom: day(-10),
      expiresOn: day(200),
      documentRef: 'mous/hs.pdf',
    });
    expect(later.status).toBe(200);
    const again = await api('PUT', `/v1/mous/mou-soon-${t.run}`, admin, {
      ...{
        agencyId: `mc-${t.run}`,
        template: 'emergency-service-provider',
        effectiveFrom: day(-100),
        expiresOn: day(31),
        documentRef: 'mous/mc-v2.pdf',
      },
    });
    expect(again.body.revision).toBe(2);

    const coordinator = await t.token('coordinator');
    const expiring = await api('GET', '/v1/mous?expiringWithinDays=60', coordinator);
    expect(expiring.status).toBe(200);
    expect(expiring.body.items.map((m: { id: string }) => m.id)).toEqual([`mou-soon-${t.run}`]);
    expect(expiring.body.items[0].daysToExpiry).toBe(31);
    expect((await api('GET', '/v1/mous', coordinator)).body.items).toHaveLength(2);
    expect((await api('GET', '/v1/mous?expiringWithinDays=-1', coordinator)).status).toBe(400);

    const events = (await t.db.ownerDataSource.query(
      `SELECT payload FROM outbox WHERE event_type = 'cit.referral.mou-changed.v1' AND message_key = $1 ORDER BY seq`,
      [`mou-soon-${t.run}`],
    )) as { payload: { data: Record<string, unknown> } }[];
    expect(events.map((e) => e.payload.data)).toEqual([
      expect.objectContaining({ revision: 1, expiresOn: day(30), status: 'active' }),
      expect.objectContaining({ revision: 2, expiresOn: day(31) }),
    ]);

    const bad = await api('PUT', `/v1/mous/mou-bad-${t.run}`, admin, {
      agencyId: `nobody-${t.run}`,
      template: 'community-organization',
      effectiveFrom: day(0),
      expiresOn: day(-1),
      documentRef: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('expiresOn');
  });
});
