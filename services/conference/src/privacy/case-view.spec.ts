import {
  caseSummary,
  caseView,
  caseViewLevel,
  type CaseDisclosure,
  type CaseFacts,
  type CaseViewer,
} from './case-view';

const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({
  nominationId: 'nom_1',
  caseId: 'nom_1',
  status: 'open',
  privacyStage: 'de-identified',
  source: 'partner',
  sourceAgencyId: 'agency-src',
  seriesKind: 'hub',
  riskLevel: 'urgent',
  riskFactors: ['mental-health', 'housing'],
  riskFactorCount: 2,
  ageRange: '25-34',
  gender: 'female',
  reasonCode: 'escalating-behaviour',
  agenciesMobilizedCount: 0,
  servicesMobilizedCount: 0,
  createdAt: '2026-12-01T10:00:00.000Z',
  closedStatus: null,
  tableMemberAgencyIds: [],
  hasIdentity: true,
  ...over,
});
const partner = (agencyId: string): CaseViewer => ({ kind: 'partner', agencyId });
const staff = (...roles: string[]): CaseViewer => ({ kind: 'staff', roles });
const disclosed = (agencyId: string, role: CaseDisclosure['role']): CaseDisclosure => ({
  agencyId,
  sessionId: 'ses_1',
  role,
});
const identity = { name: 'Jordan Example', birthDate: '1991-04-17', reasonText: 'why', contact: '555' };

describe('caseViewLevel', () => {
  it.each<[string, Partial<CaseFacts>, CaseDisclosure[], CaseViewer, ReturnType<typeof caseViewLevel>]>([
    ['coordinator sees in full', {}, [], staff('coordinator'), 'full'],
    ['supervisor sees in full', {}, [], staff('supervisor'), 'full'],
    ['admin sees in full', {}, [], staff('admin'), 'full'],
    ['officer sees de-identified', {}, [], staff('officer'), 'de-identified'],
    ['clinician sees a redacted record redacted', { privacyStage: 'redacted' }, [], staff('clinician'), 'redacted'],
    ['ops sees nothing', {}, [], staff('ops'), null],
    ['a non-member agency sees nothing', {}, [], partner('agency-x'), null],
    [
      'a table member sees de-identified',
      { tableMemberAgencyIds: ['agency-m'] },
      [],
      partner('agency-m'),
      'de-identified',
    ],
    ['the nominating agency sees de-identified', {}, [], partner('agency-src'), 'de-identified'],
    [
      'a selected agency sees limited identity',
      { privacyStage: 'limited-identity', tableMemberAgencyIds: ['agency-s'] },
      [disclosed('agency-s', 'selected')],
      partner('agency-s'),
      'limited-identity',
    ],
    [
      'a member not selected stays de-identified after the decision',
      { privacyStage: 'limited-identity', tableMemberAgencyIds: ['agency-m'] },
      [disclosed('agency-s', 'selected')],
      partner('agency-m'),
      'de-identified',
    ],
    [
      'a member not selected stays de-identified during planning',
      { privacyStage: 'planning', tableMemberAgencyIds: ['agency-m'] },
      [disclosed('agency-s', 'selected'), disclosed('agency-s', 'lead')],
      partner('agency-m'),
      'de-identified',
    ],
    [
      'the lead agency plans',
      { privacyStage: 'planning' },
      [disclosed('agency-s', 'selected'), disclosed('agency-s', 'lead')],
      partner('agency-s'),
      'planning',
    ],
    [
      'an assisting agency plans',
      { privacyStage: 'planning' },
      [disclosed('agency-a', 'selected'), disclosed('agency-a', 'assisting')],
      partner('agency-a'),
      'planning',
    ],
    [
      'a selected agency not planning keeps limited identity',
      { privacyStage: 'planning' },
      [disclosed('agency-s', 'selected'), disclosed('agency-l', 'lead')],
      partner('agency-s'),
      'limited-identity',
    ],
    [
      'a redacted record shows counts even to a selected agency',
      { privacyStage: 'redacted', hasIdentity: false, tableMemberAgencyIds: ['agency-s'] },
      [],
      partner('agency-s'),
      'redacted',
    ],
    [
      'a disclosure on a case still de-identified (stage not advanced) gives no identity',
      { privacyStage: 'de-identified' },
      [disclosed('agency-s', 'selected')],
      partner('agency-s'),
      'de-identified',
    ],
  ])('%s', (_name, over, disclosures, viewer, expected) => {
    expect(caseViewLevel(facts(over), disclosures, viewer)).toBe(expected);
  });
});

describe('caseView', () => {
  it('a de-identified view never carries identity, text or contact, even when given them', () => {
    const view = caseView(facts({ tableMemberAgencyIds: ['agency-m'] }), [], partner('agency-m'), identity)!;
    expect(view.identity).toBeUndefined();
    expect(view.reasonText).toBeUndefined();
    expect(view.contact).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain('Jordan');
    expect(view.presentation).toEqual({
      ageRange: '25-34',
      gender: 'female',
      riskFactors: ['mental-health', 'housing'],
      reasonCode: 'escalating-behaviour',
    });
  });

  it('limited identity is name and birth date only', () => {
    const view = caseView(
      facts({ privacyStage: 'limited-identity' }),
      [disclosed('agency-s', 'selected')],
      partner('agency-s'),
      identity,
    )!;
    expect(view.identity).toEqual({ name: 'Jordan Example', birthDate: '1991-04-17' });
    expect(view.reasonText).toBeUndefined();
    expect(view.contact).toBeUndefined();
    expect(view.disclosures).toBeUndefined();
  });

  it('planning adds the reason text and the call-back contact', () => {
    const view = caseView(
      facts({ privacyStage: 'planning' }),
      [disclosed('agency-l', 'lead')],
      partner('agency-l'),
      identity,
    )!;
    expect(view).toMatchObject({ level: 'planning', reasonText: 'why', contact: '555' });
  });

  it('program staff see everything, with the disclosures', () => {
    const view = caseView(
      facts({ privacyStage: 'limited-identity' }),
      [disclosed('agency-s', 'selected')],
      staff('coordinator'),
      identity,
    )!;
    expect(view).toMatchObject({
      level: 'full',
      identity: { name: 'Jordan Example' },
      reasonText: 'why',
      contact: '555',
    });
    expect(view.disclosures).toEqual([{ agencyId: 'agency-s', sessionId: 'ses_1', role: 'selected' }]);
  });

  it('a redacted record keeps counts only', () => {
    const view = caseView(
      facts({
        privacyStage: 'redacted',
        riskFactors: [],
        riskFactorCount: 3,
        agenciesMobilizedCount: 2,
        servicesMobilizedCount: 1,
        hasIdentity: false,
      }),
      [],
      staff('coordinator'),
      {},
    )!;
    expect(view.presentation).toBeUndefined();
    expect(view.counts).toEqual({ riskFactors: 3, agenciesMobilized: 2, servicesMobilized: 1 });
  });

  it('nothing for a non-member', () => {
    expect(caseView(facts(), [], partner('agency-x'), identity)).toBeNull();
  });

  it('caseSummary is de-identified whatever is stored', () => {
    const s = caseSummary(facts({ privacyStage: 'planning' }));
    expect(s.level).toBe('de-identified');
    expect(s.identity).toBeUndefined();
  });
});
