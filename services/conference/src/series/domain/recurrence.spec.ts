import { RRule } from 'rrule';
import {
  expandOccurrences,
  instantToWallClock,
  isValidTimeZone,
  nextOccurrence,
  normalizeWallClock,
  parseSeriesRule,
  parseWallClock,
  wallClockToInstant,
  walkShiftYears,
  type RecurrenceSpec,
} from './recurrence';

function rule(text: string) {
  const check = parseSeriesRule(text);
  if (!check.ok) throw new Error(check.reason);
  return check.rule;
}

function spec(text: string, firstOccurrence: string, timeZone: string): RecurrenceSpec {
  return { rule: rule(text), firstOccurrence, timeZone };
}

const iso = (d: Date) => d.toISOString();

describe('parseSeriesRule', () => {
  it.each([
    ['FREQ=WEEKLY;BYDAY=TU', 'FREQ=WEEKLY;BYDAY=TU'],
    ['RRULE:FREQ=MONTHLY;BYDAY=-1TH', 'FREQ=MONTHLY;BYDAY=-1TH'],
    ['freq=weekly;interval=2;byday=mo,we', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE'],
    ['FREQ=MONTHLY;BYDAY=TH;BYSETPOS=1', 'FREQ=MONTHLY;BYDAY=TH;BYSETPOS=1'],
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15;COUNT=5', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15;COUNT=5'],
    ['FREQ=DAILY;UNTIL=20270101T000000Z', 'FREQ=DAILY;UNTIL=20270101T000000Z'],
  ])('accepts %s', (input, canonical) => {
    const check = parseSeriesRule(input);
    expect(check).toMatchObject({ ok: true, rule: { text: canonical } });
  });

  it.each([
    ['', 'empty'],
    ['DTSTART:20260101T100000\nRRULE:FREQ=WEEKLY', 'one RRULE line'],
    ['FREQ=WEEKLY;DTSTART=20260101T100000', 'DTSTART'],
    ['FREQ=WEEKLY;TZID=America/New_York', 'TZID'],
    ['FREQ=HOURLY', 'FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY'],
    ['FREQ=SECONDLY', 'FREQ must be one of'],
    ['FREQ=FOO', 'FREQ must be one of'],
    ['BYDAY=MO', 'FREQ is required'],
    ['FREQ=WEEKLY;BYHOUR=9', 'BYHOUR'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY'],
    ['FREQ=WEEKLY;FOO=1', 'unknown rule part FOO'],
    ['FREQ=WEEKLY;FREQ=DAILY', 'FREQ appears twice'],
    ['FREQ=WEEKLY;INTERVAL=0', 'INTERVAL'],
    ['FREQ=WEEKLY;COUNT=abc', 'COUNT must be a number'],
    ['FREQ=MONTHLY;BYMONTHDAY=40', 'BYMONTHDAY'],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH'],
    ['FREQ=WEEKLY;BYDAY=1MO', 'numbered BYDAY'],
    ['FREQ=WEEKLY;COUNT=3;UNTIL=20270101', 'COUNT and UNTIL'],
    ['FREQ=WEEKLY;UNTIL=tomorrow', 'UNTIL'],
    ['FREQ=WEEKLY;;BYDAY=MO', 'stray'],
    ['FREQ=YEARLY;BYWEEKNO=20', 'BYWEEKNO'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'never occurs'],
  ])('refuses %j with a reason', (input, reason) => {
    const check = parseSeriesRule(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toContain(reason);
  });
});

describe('time zones and wall clocks', () => {
  it('knows IANA zones only', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('+05:00')).toBe(false);
  });

  it('parses and normalizes wall-clock times, refusing impossible dates', () => {
    expect(normalizeWallClock('2026-11-03T10:00')).toBe('2026-11-03T10:00:00');
    expect(parseWallClock('2026-02-30T10:00')).toBeUndefined();
    expect(parseWallClock('2026-11-03T10:00Z')).toBeUndefined();
    expect(parseWallClock('2026-11-03 10:00')).toBeUndefined();
  });

  it('maps an ordinary time with the offset in force that day', () => {
    expect(iso(wallClockToInstant('2026-07-01T10:00:00', 'America/New_York'))).toBe('2026-07-01T14:00:00.000Z');
    expect(iso(wallClockToInstant('2026-12-01T10:00:00', 'America/New_York'))).toBe('2026-12-01T15:00:00.000Z');
  });

  it('moves a time skipped by spring-forward forward by the gap (02:30 → 03:30 EDT)', () => {
    const t = wallClockToInstant('2027-03-14T02:30:00', 'America/New_York');
    expect(iso(t)).toBe('2027-03-14T07:30:00.000Z');
    expect(instantToWallClock(t, 'America/New_York')).toBe('2027-03-14T03:30:00');
  });

  it('takes the first instance of a time repeated by fall-back (01:30 EDT, not EST)', () => {
    expect(iso(wallClockToInstant('2026-11-01T01:30:00', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(wallClockToInstant('2026-10-25T02:30:00', 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('expandOccurrences', () => {
  it('keeps a weekly 10:00 meeting at 10:00 local across both America/New_York changes', () => {
    const s = spec('FREQ=WEEKLY;BYDAY=SU', '2026-10-25T10:00', 'America/New_York');
    const fall = expandOccurrences(s, { from: new Date('2026-10-20T00:00:00Z'), to: new Date('2026-11-10T00:00:00Z') });
    expect(fall.map((o) => [o.recurrenceLocal, iso(o.startsAt)])).toEqual([
      ['2026-10-25T10:00:00', '2026-10-25T14:00:00.000Z'], // EDT, UTC-4
      ['2026-11-01T10:00:00', '2026-11-01T15:00:00.000Z'], // the change day itself: EST, UTC-5
      ['2026-11-08T10:00:00', '2026-11-08T15:00:00.000Z'],
    ]);
    const spring = expandOccurrences(s, {
      from: new Date('2027-03-06T00:00:00Z'),
      to: new Date('2027-03-22T00:00:00Z'),
    });
    expect(spring.map((o) => [o.recurrenceLocal, iso(o.startsAt)])).toEqual([
      ['2027-03-07T10:00:00', '2027-03-07T15:00:00.000Z'], // EST
      ['2027-03-14T10:00:00', '2027-03-14T14:00:00.000Z'], // the change day: EDT, UTC-4
      ['2027-03-21T10:00:00', '2027-03-21T14:00:00.000Z'],
    ]);
  });

  it('moves only the occurrence that falls in the skipped hour, and takes the first of a repeated one', () => {
    const gap = spec('FREQ=WEEKLY;BYDAY=SU', '2027-03-07T02:30', 'America/New_York');
    const g = expandOccurrences(gap, { from: new Date('2027-03-01T00:00:00Z'), to: new Date('2027-03-22T00:00:00Z') });
    expect(g.map((o) => [o.recurrenceLocal, instantToWallClock(o.startsAt, 'America/New_York')])).toEqual([
      ['2027-03-07T02:30:00', '2027-03-07T02:30:00'],
      ['2027-03-14T02:30:00', '2027-03-14T03:30:00'],
      ['2027-03-21T02:30:00', '2027-03-21T02:30:00'],
    ]);
    const repeated = spec('FREQ=DAILY', '2026-10-31T01:30', 'America/New_York');
    const r = expandOccurrences(repeated, {
      from: new Date('2026-10-31T00:00:00Z'),
      to: new Date('2026-11-03T00:00:00Z'),
    });
    expect(r.map((o) => iso(o.startsAt))).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, the first of the two 01:30s
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('keeps local time across the Europe/Berlin changes (last Sunday of March and October)', () => {
    const s = spec('FREQ=WEEKLY;BYDAY=TH', '2026-03-19T09:30', 'Europe/Berlin');
    const out = expandOccurrences(s, { from: new Date('2026-03-19T00:00:00Z'), to: new Date('2026-04-03T00:00:00Z') });
    expect(out.map((o) => iso(o.startsAt))).toEqual([
      '2026-03-19T08:30:00.000Z', // CET, UTC+1
      '2026-03-26T08:30:00.000Z', // still CET: the change is on Sunday the 29th
      '2026-04-02T07:30:00.000Z', // CEST, UTC+2
    ]);
    const autumn = expandOccurrences(s, {
      from: new Date('2026-10-20T00:00:00Z'),
      to: new Date('2026-11-03T00:00:00Z'),
    });
    expect(autumn.map((o) => iso(o.startsAt))).toEqual(['2026-10-22T07:30:00.000Z', '2026-10-29T08:30:00.000Z']);
  });

  it('follows monthly rules by weekday position (last Thursday) and honours COUNT and UNTIL', () => {
    const last = spec('FREQ=MONTHLY;BYDAY=-1TH', '2026-12-31T14:00', 'America/Chicago');
    const out = expandOccurrences(last, {
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2027-04-01T00:00:00Z'),
    });
    expect(out.map((o) => o.recurrenceLocal)).toEqual([
      '2026-12-31T14:00:00',
      '2027-01-28T14:00:00',
      '2027-02-25T14:00:00',
      '2027-03-25T14:00:00',
    ]);
    const counted = spec('FREQ=WEEKLY;COUNT=3', '2026-12-01T10:00', 'UTC');
    const far = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2028-01-01T00:00:00Z') };
    expect(expandOccurrences(counted, far)).toHaveLength(3);
    // A date-only UNTIL includes its day.
    const until = spec('FREQ=WEEKLY;UNTIL=20261215', '2026-12-01T10:00', 'UTC');
    expect(expandOccurrences(until, far).map((o) => o.recurrenceLocal)).toEqual([
      '2026-12-01T10:00:00',
      '2026-12-08T10:00:00',
      '2026-12-15T10:00:00',
    ]);
  });

  it('counts COUNT from the first occurrence even when the window starts later', () => {
    const counted = spec('FREQ=WEEKLY;COUNT=3', '2026-12-01T10:00', 'UTC');
    const later = expandOccurrences(counted, { from: new Date('2026-12-05T00:00:00Z'), to: new Date('2027-06-01Z') });
    expect(later.map((o) => o.recurrenceLocal)).toEqual(['2026-12-08T10:00:00', '2026-12-15T10:00:00']);
  });

  it('walks a shifted calendar that ends within 400 years of year 9999, whatever the window', () => {
    for (const endYear of [2026, 2027, 2199, 2200, 9000, 9598, 9599]) {
      const shift = walkShiftYears(endYear);
      expect(shift % 400).toBe(0);
      expect(endYear + shift).toBeLessThan(9999);
      expect(9999 - (endYear + shift)).toBeLessThanOrEqual(400);
    }
  });

  it('returns nothing for a rule no date satisfies, and at most MAX_OCCURRENCES for a dense rule', () => {
    // Without the shift rrule walks day by day to year 9999 here (about 15 s).
    const never = spec('FREQ=DAILY;BYSETPOS=2', '2026-01-01T10:00', 'UTC');
    expect(expandOccurrences(never, { from: new Date('2026-01-01Z'), to: new Date('2028-01-01Z') })).toEqual([]);
    const neverMonthly = spec('FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6', '2026-01-01T10:00', 'UTC');
    expect(nextOccurrence(neverMonthly, new Date('2026-01-01Z'))).toBeUndefined();
    const daily = spec('FREQ=DAILY', '2026-01-01T10:00', 'UTC');
    expect(expandOccurrences(daily, { from: new Date('2026-01-01Z'), to: new Date('2036-01-01Z') })).toHaveLength(1000);
  });

  it('finds a leap-day rule only in leap years (the shifted calendar keeps leap years)', () => {
    const leap = spec('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2026-01-01T10:00', 'UTC');
    expect(nextOccurrence(leap, new Date('2026-01-01Z'), 4)?.recurrenceLocal).toBe('2028-02-29T10:00:00');
  });

  it.each([
    'FREQ=WEEKLY;BYDAY=MO,WE,FR',
    'FREQ=WEEKLY;INTERVAL=3;BYDAY=SU;WKST=SU',
    'FREQ=MONTHLY;BYDAY=-1TH',
    'FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2',
    'FREQ=MONTHLY;BYMONTHDAY=31',
    'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
    'FREQ=DAILY;INTERVAL=5',
    'FREQ=WEEKLY;BYDAY=TU;COUNT=40',
  ])('gives the dates rrule gives unshifted for %s', (text) => {
    const s = spec(text, '2026-01-06T10:00', 'UTC');
    const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2032-01-01T00:00:00Z') };
    const direct = new RRule({ ...s.rule.options, dtstart: new Date('2026-01-06T10:00:00Z') })
      .between(window.from, window.to, true)
      .map((d) => d.toISOString().slice(0, 19));
    expect(direct.length).toBeGreaterThan(0);
    expect(expandOccurrences(s, window).map((o) => o.recurrenceLocal)).toEqual(direct);
  });
});
