import { ageOn, ageRangeOfAge, ageRangeOfBirthDate, isPlausibleBirthDate } from './age-range';

describe('age ranges', () => {
  it.each([
    [0, '0-11'],
    [11, '0-11'],
    [12, '12-17'],
    [17, '12-17'],
    [18, '18-24'],
    [24, '18-24'],
    [25, '25-34'],
    [34, '25-34'],
    [35, '35-44'],
    [54, '45-54'],
    [55, '55-64'],
    [64, '55-64'],
    [65, '65+'],
    [101, '65+'],
  ])('age %i is in %s', (age, band) => expect(ageRangeOfAge(age)).toBe(band));

  it('refuses a negative or fractional age', () => {
    expect(() => ageRangeOfAge(-1)).toThrow(RangeError);
    expect(() => ageRangeOfAge(3.5)).toThrow(RangeError);
  });

  it('counts a birthday on its day, not before', () => {
    expect(ageOn('1991-04-17', new Date('2026-04-16T12:00:00Z'))).toBe(34);
    expect(ageOn('1991-04-17', new Date('2026-04-17T00:00:00Z'))).toBe(35);
    expect(ageRangeOfBirthDate('1991-04-17', new Date('2026-04-16T12:00:00Z'))).toBe('25-34');
    expect(ageRangeOfBirthDate('1991-04-17', new Date('2026-04-17T12:00:00Z'))).toBe('35-44');
  });

  it('a leap-day birth date', () => {
    expect(ageOn('2008-02-29', new Date('2026-02-28T12:00:00Z'))).toBe(17);
    expect(ageOn('2008-02-29', new Date('2026-03-01T12:00:00Z'))).toBe(18);
  });

  it.each([
    ['1991-04-17', true],
    ['2026-12-01', true],
    ['2026-12-02', false],
    ['1991-02-30', false],
    ['1900-01-01', false],
    ['17/04/1991', false],
  ])('%s plausible: %s', (date, ok) => expect(isPlausibleBirthDate(date, new Date('2026-12-01T12:00:00Z'))).toBe(ok));
});
