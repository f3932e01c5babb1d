import { addInterval, businessHoursProblems, nextBusinessInstant, type BusinessHours } from './business-hours';
import { cadenceInterval, contactDueAt } from './cadence';

const weekdays = (timeZone: string, open = '08:00', close = '17:00'): BusinessHours => ({
  timeZone,
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open, close })),
});
const NY = 'America/New_York';

describe('nextBusinessInstant', () => {
  // America/New_York 2026: DST starts Sun 8 March 02:00 (→ 03:00, UTC-4), ends Sun 1 November 02:00 (→ 01:00, UTC-5).
  const cases: Array<[string, string, BusinessHours, string]> = [
    ['open: unchanged', '2026-03-10T14:00:00Z', weekdays(NY), '2026-03-10T14:00:00.000Z'],
    ['at opening exactly: unchanged', '2026-03-10T12:00:00Z', weekdays(NY), '2026-03-10T12:00:00.000Z'],
    ['at closing exactly: next morning', '2026-03-10T21:00:00Z', weekdays(NY), '2026-03-11T12:00:00.000Z'],
    ['before opening: same day 08:00', '2026-11-02T12:00:00Z', weekdays(NY), '2026-11-02T13:00:00.000Z'],
    [
      'Friday evening EST → Monday 08:00 EDT (DST started over the weekend)',
      '2026-03-06T23:00:00Z',
      weekdays(NY),
      '2026-03-09T12:00:00.000Z',
    ],
    [
      'Saturday EDT → Monday 08:00 EST (DST ended over the weekend)',
      '2026-10-31T16:00:00Z',
      weekdays(NY),
      '2026-11-02T13:00:00.000Z',
    ],
    [
      'opening in the spring-forward gap (02:30 does not exist) → 03:30 EDT',
      '2026-03-08T05:00:00Z',
      { timeZone: NY, weekly: [{ day: 7, open: '02:30', close: '05:00' }] },
      '2026-03-08T07:30:00.000Z',
    ],
    [
      'opening in the fall-back overlap (01:30 twice) → the first 01:30 (EDT)',
      '2026-11-01T04:00:00Z',
      { timeZone: NY, weekly: [{ day: 7, open: '01:30', close: '05:00' }] },
      '2026-11-01T05:30:00.000Z',
    ],
    [
      'Europe/Berlin: Saturday before DST end → Monday 09:00 CET',
      '2026-10-24T10:00:00Z',
      { timeZone: 'Europe/Berlin', weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })) },
      '2026-10-26T08:00:00.000Z',
    ],
    [
      'two openings a day: between them → the afternoon one',
      '2026-03-10T17:00:00Z',
      {
        timeZone: NY,
        weekly: [
          { day: 2, open: '08:00', close: '12:00' },
          { day: 2, open: '14:00', close: '18:00' },
        ],
      },
      '2026-03-10T18:00:00.000Z',
    ],
    ['no openings at all: unchanged', '2026-03-07T03:00:00Z', { timeZone: NY, weekly: [] }, '2026-03-07T03:00:00.000Z'],
  ];
  it.each(cases)('%s', (_name, at, hours, expected) => {
    expect(nextBusinessInstant(new Date(at), hours).toISOString()).toBe(expected);
  });
});

describe('addInterval', () => {
  const cases: Array<[string, string, string, string]> = [
    [
      'PT24H across spring forward is 24 real hours (11:00 EDT)',
      '2026-03-07T15:00:00Z',
      'PT24H',
      '2026-03-08T15:00:00.000Z',
    ],
    ['P1D across spring forward keeps 10:00 local (23 h)', '2026-03-07T15:00:00Z', 'P1D', '2026-03-08T14:00:00.000Z'],
    ['P7D across fall back keeps 10:00 local (169 h)', '2026-10-29T14:00:00Z', 'P7D', '2026-11-05T15:00:00.000Z'],
    ['PT72H across fall back is 72 real hours', '2026-10-31T14:00:00Z', 'PT72H', '2026-11-03T14:00:00.000Z'],
  ];
  it.each(cases)('%s', (_name, anchor, interval, expected) => {
    expect(addInterval(new Date(anchor), interval, NY).toISOString()).toBe(expected);
  });

  it('refuses a malformed duration', () => {
    expect(() => addInterval(new Date(), 'seven days', NY)).toThrow('cadence');
  });
});

describe('cadence', () => {
  it.each([
    [0, 'PT24H'],
    [1, 'PT72H'],
    [2, 'P7D'],
    [9, 'P7D'],
  ])('step %i → %s (the last entry repeats)', (step, interval) => {
    expect(cadenceInterval(['PT24H', 'PT72H', 'P7D'], step)).toBe(interval);
  });

  it('a reminder falling on Saturday moves to Monday opening when business hours are honoured', () => {
    // Opened Friday 2026-03-06 10:00 EST; +24 h = Saturday 10:00 EST → Monday 9 March 08:00 EDT.
    const input = { cadence: ['PT24H'], step: 0, anchor: new Date('2026-03-06T15:00:00Z'), timeZone: NY };
    expect(contactDueAt(input).dueAt.toISOString()).toBe('2026-03-07T15:00:00.000Z');
    expect(contactDueAt({ ...input, businessHours: weekdays(NY) }).dueAt.toISOString()).toBe(
      '2026-03-09T12:00:00.000Z',
    );
  });
});

describe('businessHoursProblems', () => {
  it('names the fields that are wrong', () => {
    expect(
      businessHoursProblems({ timeZone: 'Mars/Olympus', weekly: [{ day: 8, open: '9:00', close: '08:00' }] }),
    ).toEqual(['timeZone: unknown time zone', 'weekly.0.day: must be 1 (Monday) to 7', 'weekly.0.open: must be HH:MM']);
    expect(businessHoursProblems(weekdays(NY))).toEqual([]);
  });
});
