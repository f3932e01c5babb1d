import { joinDecision } from './case-join';

describe('joinDecision', () => {
  it.each([
    ['risk rises', 'routine', ['housing'], 'urgent', ['housing'], 'urgent', ['housing'], ['riskLevel']],
    ['risk never falls', 'imminent', [], 'none', [], 'imminent', [], []],
    [
      'needs union, sorted',
      'routine',
      ['mental-health'],
      'routine',
      ['housing', 'mental-health'],
      'routine',
      ['housing', 'mental-health'],
      ['needs'],
    ],
    ['both change', 'none', [], 'urgent', ['substance-use'], 'urgent', ['substance-use'], ['riskLevel', 'needs']],
  ] as const)('%s', (_n, risk, needs, newRisk, newNeeds, expRisk, expNeeds, changed) => {
    expect(joinDecision({ riskLevel: risk, needs: [...needs] }, { riskLevel: newRisk, needs: newNeeds })).toEqual({
      riskLevel: expRisk,
      needs: expNeeds,
      changedFields: changed,
    });
  });
});
