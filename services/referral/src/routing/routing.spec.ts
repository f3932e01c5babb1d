import type { DirectoryService } from '../directory/directory.model';
import { TEMPLATE_TERMS, type Mou } from '../mous/mou.model';
import { acceptsAge, openAt, routeReferral, speaks, type RoutingRequest } from './routing';

// Wednesday 2026-12-02 15:00 in New York (20:00 UTC); 03:00 the next night is closed for 9-to-5 programs.
const DAY = new Date('2026-12-02T20:00:00Z');
const NIGHT = new Date('2026-12-03T08:00:00Z');
const ZONE = 'America/New_York';
const NINE_TO_FIVE = [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'] as const, opens: '09:00', closes: '17:00' }].map((h) => ({
  ...h,
  days: [...h.days],
}));

function service(agencyId: string, over: Partial<DirectoryService> = {}): DirectoryService {
  return {
    id: `svc-${agencyId}`,
    agencyId,
    name: agencyId,
    active: true,
    kind: 'dmh-community-provider',
    needs: ['mental-health'],
    areas: ['department-wide'],
    languages: ['en'],
    minAge: null,
    maxAge: null,
    afterHours: false,
    policeDropOff: false,
    lessensImminentThreat: false,
    hours: [],
    capacity: { available: 5, maximum: 10, updatedAt: '2026-12-01T00:00:00Z' },
    ...over,
  };
}

function mou(agencyId: string, over: Partial<Mou> = {}): Mou {
  return {
    id: `mou-${agencyId}`,
    agencyId,
    template: 'community-organization',
    serviceIds: [],
    effectiveFrom: '2026-01-01',
    expiresOn: '2026-12-31',
    status: 'active',
    terms: TEMPLATE_TERMS['community-organization'],
    documentRef: 'x',
    revision: 1,
    ...over,
  };
}

const request = (over: Partial<RoutingRequest> = {}): RoutingRequest => ({
  needs: ['mental-health'],
  kinds: [],
  urgency: 'routine',
  ageRange: 'adult',
  excludeAgencies: [],
  ...over,
});

describe('routing: who is a candidate', () => {
  const cases: [string, Partial<DirectoryService>, Partial<Mou> | null, Partial<RoutingRequest>, Date, string[]][] = [
    ['eligible', {}, {}, {}, DAY, []],
    ['no MOU', {}, null, {}, DAY, ['no-active-mou']],
    ['MOU expired yesterday', {}, { expiresOn: '2026-12-01' }, {}, DAY, ['no-active-mou']],
    ['MOU not yet in force', {}, { effectiveFrom: '2026-12-03' }, {}, DAY, ['no-active-mou']],
    ['MOU suspended', {}, { status: 'suspended' }, {}, DAY, ['no-active-mou']],
    ['MOU covering another service', {}, { serviceIds: ['svc-other'] }, {}, DAY, ['no-active-mou']],
    ['need not served', { needs: ['housing'] }, {}, {}, DAY, ['need-not-served']],
    ['kind not offered', {}, {}, { kinds: ['mobile-crisis'] }, DAY, ['kind-not-offered']],
    ['outside the area', { areas: ['sector-1'] }, {}, { area: 'sector-3' }, DAY, ['outside-area']],
    ['serves the area by name', { areas: ['sector-3'] }, {}, { area: 'sector-3' }, DAY, []],
    ['no capacity', { capacity: { available: 0, maximum: 5, updatedAt: 'x' } }, {}, {}, DAY, ['no-capacity']],
    ['capacity unknown', { capacity: null }, {}, {}, DAY, ['no-capacity']],
    ['language not spoken', {}, {}, { language: 'pt-BR' }, DAY, ['language']],
    ['language spoken (subtag)', { languages: ['pt'] }, {}, { language: 'pt-BR' }, DAY, []],
    ['too young', { minAge: 18 }, {}, { ageRange: 'juvenile' }, DAY, ['age']],
    ['too old', { maxAge: 20 }, {}, { ageRange: 'senior' }, DAY, ['age']],
    ['age unknown', { minAge: 18 }, {}, { ageRange: 'unknown' }, DAY, []],
    ['urgent at night, closed', { hours: NINE_TO_FIVE }, {}, { urgency: 'urgent' }, NIGHT, ['closed-now']],
    [
      'urgent at night, after-hours capable',
      { hours: NINE_TO_FIVE, afterHours: true },
      {},
      { urgency: 'urgent' },
      NIGHT,
      [],
    ],
    ['routine at night waits for opening', { hours: NINE_TO_FIVE }, {}, {}, NIGHT, []],
    ['already tried', {}, {}, { excludeAgencies: ['a'] }, DAY, ['already-tried']],
    ['inactive', { active: false }, {}, {}, DAY, ['inactive']],
  ];

  it.each(cases)('%s', (_name, svc, m, req, now, reasons) => {
    const decision = routeReferral(request(req), {
      now,
      zone: ZONE,
      services: [service('a', svc)],
      mous: new Map(m ? [['a', [mou('a', m)]]] : []),
    });
    if (reasons.length === 0) {
      expect(decision.candidates.map((c) => c.agencyId)).toEqual(['a']);
      expect(decision.excluded).toEqual([]);
    } else {
      expect(decision.candidates).toEqual([]);
      expect(decision.excluded).toEqual([{ agencyId: 'a', serviceId: 'svc-a', reasons }]);
    }
  });
});

describe('routing: ranking is explainable', () => {
  it('orders by score, each score the sum of its parts, one service per agency', () => {
    const decision = routeReferral(
      request({ urgency: 'emergent', language: 'es', needs: ['mental-health', 'substance-use'] }),
      {
        now: DAY,
        zone: ZONE,
        services: [
          service('low', { capacity: { available: 1, maximum: 10, updatedAt: 'x' }, languages: ['en', 'es'] }),
          service('high', {
            needs: ['mental-health', 'substance-use'],
            afterHours: true,
            policeDropOff: true,
            languages: ['es'],
          }),
          service('high', { id: 'svc-high-2', languages: ['es'] }),
        ],
        mous: new Map([
          ['low', [mou('low')]],
          ['high', [mou('high')]],
        ]),
      },
    );
    expect(decision.candidates.map((c) => [c.agencyId, c.serviceId])).toEqual([
      ['high', 'svc-high'],
      ['low', 'svc-low'],
    ]);
    for (const c of decision.candidates) expect(c.score).toBeCloseTo(c.parts.reduce((s, p) => s + p.points, 0));
    const high = decision.candidates[0]!;
    expect(Object.fromEntries(high.parts.map((p) => [p.name, p.points]))).toEqual({
      needs: 40,
      capacity: 10,
      area: 5,
      'open-now': 10,
      language: 10,
      'after-hours': 5,
      'police-drop-off': 5,
    });
    expect(decision.candidates[1]!.parts.find((p) => p.name === 'needs')).toMatchObject({
      points: 20,
      why: '1 of 2 needs served',
    });
  });
});

describe('routing helpers', () => {
  it.each([
    [{ minAge: null, maxAge: null }, 'juvenile', true],
    [{ minAge: 18, maxAge: null }, 'juvenile', false],
    [{ minAge: 16, maxAge: null }, 'juvenile', true],
    [{ minAge: 60, maxAge: null }, 'senior', true],
    [{ minAge: null, maxAge: 64 }, 'senior', false],
  ] as const)('age %j accepts %s: %s', (svc, range, ok) => expect(acceptsAge(svc, range)).toBe(ok));

  it.each([
    [['en'], undefined, true],
    [[], 'en', true],
    [[], 'es', false],
    [['es-MX'], 'es', true],
  ])('languages %j speak %s: %s', (languages, lang, ok) => expect(speaks({ languages }, lang)).toBe(ok));

  it.each([
    [DAY, true],
    [NIGHT, false],
    [new Date('2026-12-05T15:00:00Z'), false], // Saturday
    [new Date('2026-12-02T14:00:00Z'), true], // 09:00 sharp
    [new Date('2026-12-02T22:00:00Z'), false], // 17:00 closes
  ])('9-to-5 weekdays open at %s: %s', (now, open) => expect(openAt({ hours: NINE_TO_FIVE }, now, ZONE)).toBe(open));
});
