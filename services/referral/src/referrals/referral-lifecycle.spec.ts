import type { ReferralStatus } from '@cit/contracts';
import { allowedTransitions, businessStatus, checkTransition, type Party } from './referral-lifecycle';

describe('referral lifecycle (FHIR Task.status)', () => {
  const cases: [ReferralStatus, ReferralStatus, Party, object, string][] = [
    ['requested', 'received', 'partner', {}, 'ok'],
    ['requested', 'accepted', 'partner', {}, 'ok'],
    ['received', 'rejected', 'partner', { reasonCode: 'no-capacity' }, 'ok'],
    ['received', 'rejected', 'partner', {}, 'reason-required'],
    ['accepted', 'rejected', 'partner', { reasonCode: 'other' }, 'not-allowed'],
    ['accepted', 'in-progress', 'partner', {}, 'ok'],
    ['in-progress', 'on-hold', 'partner', { reasonCode: 'other' }, 'ok'],
    ['on-hold', 'in-progress', 'partner', {}, 'ok'],
    ['in-progress', 'completed', 'partner', { outcome: 'got-help' }, 'ok'],
    ['in-progress', 'completed', 'partner', {}, 'outcome-required'],
    ['in-progress', 'failed', 'partner', { outcome: 'could-not-contact' }, 'ok'],
    ['accepted', 'accepted', 'partner', {}, 'not-allowed'],
    ['received', 'in-progress', 'partner', { outcome: 'got-help' }, 'not-allowed'],
    ['accepted', 'in-progress', 'partner', { outcome: 'got-help' }, 'outcome-not-allowed'],
    ['requested', 'cancelled', 'partner', { reasonCode: 'other' }, 'wrong-party'],
    ['requested', 'received', 'department', {}, 'wrong-party'],
    ['requested', 'cancelled', 'department', { reasonCode: 'duplicate' }, 'ok'],
    ['in-progress', 'cancelled', 'department', { reasonCode: 'case-closed' }, 'ok'],
    ['completed', 'cancelled', 'department', { reasonCode: 'other' }, 'not-allowed'],
    ['rejected', 'received', 'partner', {}, 'not-allowed'],
    ['requested', 'cancelled', 'system', { reasonCode: 'sla-not-received' }, 'ok'],
  ];

  it.each(cases)('%s → %s by %s %j: %s', (from, to, party, detail, expected) => {
    const r = checkTransition(from, to, party, detail);
    expect(r.ok ? 'ok' : r.problem).toBe(expected);
  });

  it.each([
    ['requested', 'partner', ['received', 'accepted', 'rejected', 'failed']],
    ['requested', 'department', ['cancelled']],
    ['in-progress', 'partner', ['on-hold', 'completed', 'failed']],
    ['completed', 'partner', []],
    ['cancelled', 'department', []],
  ] as const)('allowed from %s for the %s: %j', (from, party, allowed) =>
    expect(allowedTransitions(from, party)).toEqual(allowed),
  );

  it('words businessStatus from the outcome when there is one', () => {
    expect(businessStatus('completed', 'got-help')).toBe('got help');
    expect(businessStatus('received')).toBe('awaiting acceptance');
  });
});
