import { normalizeCoding, sameCoding } from './bh-coding';

describe('behavioral-health coding', () => {
  it('compares codes as sets', () => {
    expect(
      sameCoding(
        { relatedTo: 'both', observations: ['trauma', 'overdose'], suspectedUsing: ['A', 'D'] },
        { relatedTo: 'both', observations: ['overdose', 'trauma'], suspectedUsing: ['D', 'A'] },
      ),
    ).toBe(true);
    expect(
      sameCoding(
        { relatedTo: 'both', observations: [], suspectedUsing: ['A'] },
        { relatedTo: 'narcotics', observations: [], suspectedUsing: ['A'] },
      ),
    ).toBe(false);
  });

  it('drops repeated codes', () => {
    expect(
      normalizeCoding({ relatedTo: 'neither', observations: ['trauma', 'trauma'], suspectedUsing: ['N', 'N'] }),
    ).toEqual({
      relatedTo: 'neither',
      observations: ['trauma'],
      suspectedUsing: ['N'],
    });
  });
});
