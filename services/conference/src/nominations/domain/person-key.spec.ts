import { normalizePersonName, personKeyInput } from './person-key';

describe('person keys', () => {
  it('case, accents, punctuation and spacing do not make another person', () => {
    expect(normalizePersonName('  Zoë  O’Brien-Smith ')).toBe('zoe obrien smith');
    expect(normalizePersonName("ZOE O'BRIEN SMITH")).toBe('zoe obrien smith');
    expect(normalizePersonName('AVERY   Lindqvist')).toBe('avery lindqvist');
  });

  it('an intake person id is the key itself; otherwise name with birth date, or with the age band', () => {
    expect(personKeyInput({ personId: 'per_1' })).toEqual({ personId: 'per_1' });
    expect(personKeyInput({ name: 'Avery Lindqvist', birthDate: '1990-02-14' })).toEqual({
      indexed: 'avery lindqvist|dob:1990-02-14',
    });
    expect(personKeyInput({ name: 'Avery Lindqvist', ageRange: '35-44' })).toEqual({
      indexed: 'avery lindqvist|age:35-44',
    });
  });
});
