import { deriveTriageRiskFactors, normalizeRiskFactors, RISK_FACTORS, riskFactorsSchema } from './risk-factors';

describe('risk factors', () => {
  it('codes are unique and kebab-case, every one has a category and a label', () => {
    const codes = RISK_FACTORS.map((f) => f.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const f of RISK_FACTORS) {
      expect(f.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(f.category).toBeTruthy();
      expect(f.label).toBeTruthy();
    }
  });

  it('validates: known codes, at least one, no repeats', () => {
    expect(riskFactorsSchema.safeParse(['mental-health', 'housing']).success).toBe(true);
    expect(riskFactorsSchema.safeParse([]).success).toBe(false);
    expect(riskFactorsSchema.safeParse(['mental-health', 'mental-health']).success).toBe(false);
    expect(riskFactorsSchema.safeParse(['bad-code']).success).toBe(false);
  });

  it('normalizes to catalogue order', () => {
    expect(normalizeRiskFactors(['housing', 'suicide-risk', 'mental-health'])).toEqual([
      'mental-health',
      'suicide-risk',
      'housing',
    ]);
  });

  it.each([
    ['repeat contacts, no coding', 'repeat-contacts', null, ['repeat-police-contact']],
    ['clinician request, no coding', 'clinician-request', null, ['mental-health']],
    [
      'repeat contacts with both, suicidal statements and alcohol',
      'repeat-contacts',
      { relatedTo: 'both', observations: ['suicidal-statements'], suspectedUsing: ['A'] },
      ['mental-health', 'suicide-risk', 'substance-use', 'alcohol', 'repeat-police-contact'],
    ],
    [
      'overdose and weapon, narcotics',
      'acutely-elevated-risk',
      { relatedTo: 'narcotics', observations: ['overdose', 'weapon-present'], suspectedUsing: ['D'] },
      ['substance-use', 'overdose', 'threat-to-others'],
    ],
    [
      'unknown codes are ignored',
      'partner-request',
      { relatedTo: 'neither', observations: ['something-new'], suspectedUsing: ['N'] },
      ['mental-health'],
    ],
  ] as const)('%s', (_n, reason, coding, expected) => {
    expect(deriveTriageRiskFactors(reason, coding)).toEqual(expected);
  });
});
