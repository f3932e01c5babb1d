import { decideAccessScope, type ScopeCaller, type ScopeDecision } from './access-scope';

const clinician = (districts?: string[]): ScopeCaller => ({ roles: ['clinician'], districts });
const reason = 'Crisis call, on-call clinician covering sector 5';

describe('decideAccessScope', () => {
  it.each<[string, ScopeCaller, string | null | undefined, string | undefined, ScopeDecision]>([
    ['no districts claim: whole department', clinician(undefined), 'sector-5', undefined, { access: 'in-scope' }],
    [
      'record in an assigned district',
      clinician(['sector-3', 'sector-5']),
      'sector-5',
      undefined,
      { access: 'in-scope' },
    ],
    ['record without a district', clinician(['sector-3']), null, undefined, { access: 'in-scope' }],
    ['record with an empty district', clinician(['sector-3']), '', undefined, { access: 'in-scope' }],
    ['in scope: a stated reason changes nothing', clinician(['sector-5']), 'sector-5', reason, { access: 'in-scope' }],
    ['empty districts claim: nothing is in scope', clinician([]), 'sector-5', reason, { access: 'break-glass' }],
    ['clinician outside scope with a reason', clinician(['sector-3']), 'sector-5', reason, { access: 'break-glass' }],
    [
      'supervisor outside scope with a reason',
      { roles: ['supervisor'], districts: ['sector-3'] },
      'sector-5',
      reason,
      { access: 'break-glass' },
    ],
    [
      'clinician outside scope, no reason',
      clinician(['sector-3']),
      'sector-5',
      undefined,
      { access: 'denied', problem: 'break-glass-required' },
    ],
    [
      'clinician outside scope, blank reason',
      clinician(['sector-3']),
      'sector-5',
      '   ',
      { access: 'denied', problem: 'break-glass-required' },
    ],
    [
      'officer outside scope, even with a reason',
      { roles: ['officer'], districts: ['sector-3'] },
      'sector-5',
      reason,
      { access: 'denied', problem: 'break-glass-not-permitted' },
    ],
    [
      'coordinator outside scope',
      { roles: ['coordinator'], districts: ['sector-3'] },
      'sector-5',
      undefined,
      { access: 'denied', problem: 'break-glass-not-permitted' },
    ],
    [
      'admin outside scope',
      { roles: ['admin'], districts: ['sector-3'] },
      'sector-5',
      reason,
      { access: 'denied', problem: 'break-glass-not-permitted' },
    ],
    [
      'officer and clinician: the clinician role may break glass',
      { roles: ['officer', 'clinician'], districts: ['sector-3'] },
      'sector-5',
      reason,
      { access: 'break-glass' },
    ],
    [
      'district names compare exactly',
      clinician(['Sector-5']),
      'sector-5',
      undefined,
      { access: 'denied', problem: 'break-glass-required' },
    ],
  ])('%s', (_name, caller, district, statedReason, expected) => {
    expect(decideAccessScope(caller, district, statedReason)).toEqual(expected);
  });
});
