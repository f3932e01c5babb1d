import { allowedActions, isAllowed, survivingNomination } from './nomination-status';

describe('nomination status', () => {
  it.each([
    ['pending-verification', 'de-identified', ['verify', 'reject', 'withdraw', 'update-presentation']],
    ['open', 'de-identified', ['withdraw', 'update-presentation', 'risk-decision']],
    ['open', 'limited-identity', ['withdraw']],
    ['open', 'planning', ['withdraw']],
    ['closed', 'redacted', []],
    ['rejected', 'de-identified', []],
    ['withdrawn', 'de-identified', []],
  ] as const)('%s at %s allows %j', (status, stage, expected) => {
    expect(allowedActions(status, stage)).toEqual(expected);
  });

  it('verify is only for pending nominations', () => {
    expect(isAllowed('verify', 'open', 'de-identified')).toBe(false);
    expect(isAllowed('verify', 'pending-verification', 'de-identified')).toBe(true);
  });

  it('after a merge the higher risk stays open, then the older', () => {
    const a = { id: 'nom_a', riskLevel: 'routine', createdAt: new Date('2026-11-01') };
    const b = { id: 'nom_b', riskLevel: 'imminent', createdAt: new Date('2026-11-20') };
    expect(survivingNomination(a, b)).toBe(b);
    expect(survivingNomination(b, a)).toBe(b);
    const c = { id: 'nom_c', riskLevel: 'routine', createdAt: new Date('2026-10-01') };
    expect(survivingNomination(a, c)).toBe(c);
  });
});
