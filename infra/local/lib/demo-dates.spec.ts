// eslint-disable-next-line @typescript-eslint/no-require-imports
const dates = require('./demo-dates.cjs') as {
  addDays(d: string, n: number): string;
  addMonths(d: string, n: number): string;
  firstOccurrence(f: { weekday: number; time: string; nth?: number }, today: string): string;
  localDate(tz: string, at?: Date): string;
};

describe('demo seed calendar', () => {
  it.each([
    // next Tuesday, never today
    [{ weekday: 2, time: '10:00' }, '2026-12-02', '2026-12-08T10:00'],
    [{ weekday: 2, time: '10:00' }, '2026-12-08', '2026-12-15T10:00'],
    // n-th weekday of next month, across a year end
    [{ nth: 1, weekday: 3, time: '14:00' }, '2026-12-02', '2027-01-06T14:00'],
    [{ nth: 2, weekday: 4, time: '09:00' }, '2026-12-31', '2027-01-14T09:00'],
    [{ nth: 3, weekday: 3, time: '13:00' }, '2027-02-10', '2027-03-17T13:00'],
  ])('first occurrence of %j after %s is %s', (first, today, expected) => {
    expect(dates.firstOccurrence(first, today)).toBe(expected);
  });

  it('counts dates in the department zone', () => {
    // 03:00 UTC on 2 December is still 1 December in Boston.
    expect(dates.localDate('America/New_York', new Date('2026-12-02T03:00:00Z'))).toBe('2026-12-01');
    expect(dates.addDays('2026-12-31', 45)).toBe('2027-02-14');
    expect(dates.addMonths('2026-12-02', -6)).toBe('2026-06-02');
  });
});
