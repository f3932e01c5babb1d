import type { DisclosureCategory, RiskLevel } from '@cit/contracts';
import { TEMPLATE_TERMS, type MouTemplate } from '../mous/mou.model';
import { decideDisclosure, type ConsentRecord } from './minimum-necessary';

const NOW = new Date('2026-12-02T12:00:00Z');
const ALL: DisclosureCategory[] = ['identity', 'contact', 'narrative', 'indicators', 'substance-use'];
const consent = (categories: DisclosureCategory[], over: Partial<ConsentRecord> = {}): ConsentRecord => ({
  id: 'con-1',
  categories,
  agencyIds: [],
  expiresAt: null,
  revokedAt: null,
  ...over,
});

interface Case {
  name: string;
  template: MouTemplate;
  risk?: RiskLevel;
  threatFlag?: boolean;
  lessens?: boolean;
  consents?: ConsentRecord[];
  available?: DisclosureCategory[];
  basis: string;
  categories: DisclosureCategory[];
  part2: boolean;
}

const cases: Case[] = [
  {
    name: 'ESP, treatment, no consent: all but Part 2',
    template: 'emergency-service-provider',
    basis: 'treatment',
    categories: ['identity', 'contact', 'narrative', 'indicators'],
    part2: false,
  },
  {
    name: 'ESP with consent for substance use: Part 2 with notice',
    template: 'emergency-service-provider',
    consents: [consent(['substance-use'])],
    basis: 'consent',
    categories: ALL,
    part2: true,
  },
  {
    name: 'consent expired: treatment only',
    template: 'emergency-service-provider',
    consents: [consent(['substance-use'], { expiresAt: '2026-12-01T00:00:00Z' })],
    basis: 'treatment',
    categories: ['identity', 'contact', 'narrative', 'indicators'],
    part2: false,
  },
  {
    name: 'consent revoked',
    template: 'emergency-service-provider',
    consents: [consent(['substance-use'], { revokedAt: '2026-11-01T00:00:00Z' })],
    basis: 'treatment',
    categories: ['identity', 'contact', 'narrative', 'indicators'],
    part2: false,
  },
  {
    name: 'consent for another agency',
    template: 'community-organization',
    consents: [consent(['identity', 'contact'], { agencyIds: ['other'] })],
    basis: 'none',
    categories: ['indicators'],
    part2: false,
  },
  {
    name: 'community org, no consent: de-identified indicators only',
    template: 'community-organization',
    basis: 'none',
    categories: ['indicators'],
    part2: false,
  },
  {
    // Indicators beside an identity are identifiable again: only as far as the consent reaches.
    name: 'community org with consent: identity and contact, never narrative',
    template: 'community-organization',
    consents: [consent(['identity', 'contact', 'narrative'])],
    basis: 'consent',
    categories: ['identity', 'contact'],
    part2: false,
  },
  {
    name: '164.512(j): imminent, flagged, recipient able to lessen',
    template: 'community-organization',
    risk: 'imminent',
    threatFlag: true,
    lessens: true,
    basis: 'hipaa-164.512(j)-serious-imminent-threat',
    categories: ['identity', 'contact', 'indicators'],
    part2: false,
  },
  {
    name: '164.512(j) needs imminent risk',
    template: 'community-organization',
    risk: 'urgent',
    threatFlag: true,
    lessens: true,
    basis: 'none',
    categories: ['indicators'],
    part2: false,
  },
  {
    name: '164.512(j) needs a recipient able to lessen the threat',
    template: 'community-organization',
    risk: 'imminent',
    threatFlag: true,
    lessens: false,
    basis: 'none',
    categories: ['indicators'],
    part2: false,
  },
  {
    name: '164.512(j) needs the triage flag',
    template: 'community-organization',
    risk: 'imminent',
    threatFlag: false,
    lessens: true,
    basis: 'none',
    categories: ['indicators'],
    part2: false,
  },
  {
    name: '164.512(j) never carries Part 2 details',
    template: 'emergency-service-provider',
    risk: 'imminent',
    threatFlag: true,
    lessens: true,
    basis: 'hipaa-164.512(j)-serious-imminent-threat',
    categories: ['identity', 'contact', 'indicators'],
    part2: false,
  },
  {
    name: 'probation: identity only, nothing else',
    template: 'trial-court-probation',
    basis: 'none',
    categories: [],
    part2: false,
  },
  {
    name: 'nothing held: nothing shared',
    template: 'emergency-service-provider',
    available: ['indicators'],
    basis: 'treatment',
    categories: ['indicators'],
    part2: false,
  },
];

describe('legal basis and minimum necessary', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const d = decideDisclosure({
      recipient: { agencyId: 'agency-1', lessensImminentThreat: c.lessens ?? false },
      terms: TEMPLATE_TERMS[c.template],
      riskLevel: c.risk ?? 'routine',
      imminentThreatFlag: c.threatFlag ?? false,
      consents: c.consents ?? [],
      now: NOW,
      available: c.available ?? ALL,
    });
    expect(d.legalBasis).toBe(c.basis);
    expect(d.categories).toEqual(c.categories);
    expect(d.part2Notice).toBe(c.part2);
    expect(d.fields.includes('substanceUse')).toBe(c.categories.includes('substance-use'));
    expect(d.checklist.minimumNecessary.filter((m) => m.allowed).map((m) => m.category)).toEqual(c.categories);
    expect(d.checklist.part2.redisclosureNotice).toBe(c.part2);
  });

  it('records the whole checklist, including why each category was or was not shared', () => {
    const d = decideDisclosure({
      recipient: { agencyId: 'a', lessensImminentThreat: true },
      terms: TEMPLATE_TERMS['emergency-service-provider'],
      riskLevel: 'imminent',
      imminentThreatFlag: true,
      consents: [],
      now: NOW,
      available: ALL,
    });
    expect(d.checklist.seriousImminentThreat).toEqual({
      applies: true,
      riskImminent: true,
      triageFlag: true,
      recipientCanLessenThreat: true,
    });
    expect(d.checklist.minimumNecessary.find((m) => m.category === 'substance-use')).toEqual({
      category: 'substance-use',
      allowed: false,
      why: '42 CFR Part 2: no consent for it',
    });
  });
});
