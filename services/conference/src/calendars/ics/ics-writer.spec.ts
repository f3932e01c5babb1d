import { escapeText, foldLine, IcsWriter, isUsableTimeZone, utcDateTime, zonedDateTime } from './ics-writer';

describe('ics writer', () => {
  it('escapes TEXT as RFC 5545 3.3.11 says and drops control characters', () => {
    expect(escapeText('a\\b;c,d\r\ne\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeText('tab\tkept\u0000\u0007\u001b gone')).toBe('tab\tkept gone');
  });

  it('folds at 75 octets without splitting a UTF-8 sequence, and unfolds to the same line', () => {
    const line = 'SUMMARY:' + 'Réunion été — ✓ 🗓 '.repeat(12);
    const folded = foldLine(line);
    expect(folded.endsWith('\r\n')).toBe(true);
    const physical = folded.slice(0, -2).split('\r\n');
    expect(physical.length).toBeGreaterThan(3);
    for (const [i, l] of physical.entries()) {
      expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
      if (i > 0) expect(l.startsWith(' ')).toBe(true);
      // A lone surrogate or a cut multi-byte sequence would not survive the round trip.
      expect(Buffer.from(l, 'utf8').toString('utf8')).toBe(l);
    }
    expect(folded.slice(0, -2).replace(/\r\n /g, '')).toBe(line);
  });

  it('leaves a short line alone', () => {
    expect(foldLine('METHOD:PUBLISH')).toBe('METHOD:PUBLISH\r\n');
    expect(foldLine('X:' + 'a'.repeat(73))).toBe('X:' + 'a'.repeat(73) + '\r\n');
    expect(foldLine('X:' + 'a'.repeat(74))).toBe('X:' + 'a'.repeat(73) + '\r\n a\r\n');
  });

  it('writes UTC and zoned DATE-TIMEs, the wall clock following the zone across DST', () => {
    expect(utcDateTime(new Date('2026-03-09T13:00:05Z'))).toBe('20260309T130005Z');
    // 2026-03-08 02:00 EST -> 03:00 EDT in New York.
    expect(zonedDateTime(new Date('2026-03-02T14:00:00Z'), 'America/New_York')).toBe('20260302T090000');
    expect(zonedDateTime(new Date('2026-03-09T13:00:00Z'), 'America/New_York')).toBe('20260309T090000');
    expect(zonedDateTime(new Date('2026-03-08T07:00:00Z'), 'America/New_York')).toBe('20260308T030000');
    expect(zonedDateTime(new Date('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('20261101T013000');
    expect(zonedDateTime(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('20261101T013000');
    expect(zonedDateTime(new Date('2026-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe('20260101T053000');
  });

  it('knows which zone names may stand in a TZID parameter', () => {
    expect(isUsableTimeZone('America/New_York')).toBe(true);
    expect(isUsableTimeZone('Etc/GMT+5')).toBe(true);
    expect(isUsableTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isUsableTimeZone('America/New_York;X=1')).toBe(false);
    expect(isUsableTimeZone('')).toBe(false);
  });

  it('accumulates CRLF lines, normalising a block written with other line ends', () => {
    const out = new IcsWriter()
      .raw('BEGIN', 'VCALENDAR')
      .block('BEGIN:VTIMEZONE\nTZID:X\r\nEND:VTIMEZONE\n')
      .zoned('DTSTART', new Date('2026-07-01T12:00:00Z'), 'Europe/Paris')
      .zoned('DTEND', new Date('2026-07-01T12:00:00Z'), null)
      .text('SUMMARY', 'a, b')
      .toString();
    expect(out).toBe(
      'BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nEND:VTIMEZONE\r\n' +
        'DTSTART;TZID=Europe/Paris:20260701T140000\r\nDTEND:20260701T120000Z\r\nSUMMARY:a\\, b\r\n',
    );
  });
});

describe('zonedDateTime against Intl at every quarter hour', () => {
  // Zones with DST, half-hour DST (Lord Howe), :45 offsets (Chatham, Kathmandu), a Ramadan
  // suspension of DST weeks apart (Casablanca) and none (Kolkata).
  const zones = [
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Asia/Kathmandu',
    'Africa/Casablanca',
    'Asia/Kolkata',
  ];
  it.each(zones)('%s, two years', (zone) => {
    const exact = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    const wall = (d: Date) => {
      const p = Object.fromEntries(exact.formatToParts(d).map((x) => [x.type, x.value]));
      return `${p.year}${p.month}${p.day}T${p.hour}${p.minute}${p.second}`;
    };
    const from = Date.UTC(2026, 0, 1);
    const to = Date.UTC(2028, 0, 1);
    let mismatches = 0;
    for (let t = from; t < to; t += 15 * 60_000 + 7_000) {
      if (zonedDateTime(new Date(t), zone) !== wall(new Date(t))) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});
