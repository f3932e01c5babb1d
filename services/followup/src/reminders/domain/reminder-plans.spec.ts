import {
  conferenceReminderTimes,
  idempotencyKey,
  mouReminderDueAt,
  reminderId,
  slaSatisfied,
  type AwaitedStatus,
} from './reminder-plans';
import type { ReferralStatus } from '@cit/contracts';

describe('reminderId', () => {
  it('is stable for one occurrence and differs for the next one and for another department', () => {
    const key1 = idempotencyKey('case-contact', 'case_1', 1);
    const key2 = idempotencyKey('case-contact', 'case_1', 2);
    expect(reminderId('dept-a', key1)).toBe(reminderId('dept-a', key1));
    expect(reminderId('dept-a', key1)).not.toBe(reminderId('dept-a', key2));
    expect(reminderId('dept-a', key1)).not.toBe(reminderId('dept-b', key1));
    expect(reminderId('dept-a', key1)).toMatch(/^rem_[0-9a-f]{32}$/);
  });
});

describe('slaSatisfied', () => {
  const cases: Array<[AwaitedStatus, ReferralStatus, boolean]> = [
    ['received', 'requested', false],
    ['received', 'received', true],
    ['received', 'accepted', true],
    ['received', 'rejected', true],
    ['received', 'cancelled', true],
    ['accepted', 'requested', false],
    ['accepted', 'received', false],
    ['accepted', 'accepted', true],
    ['accepted', 'in-progress', true],
    ['accepted', 'rejected', true],
  ];
  it.each(cases)('awaiting %s, status %s → %s', (awaited, status, expected) => {
    expect(slaSatisfied(awaited, status)).toBe(expected);
  });
});

describe('conferenceReminderTimes', () => {
  const startsAt = new Date('2026-12-10T15:00:00Z');
  const cases: Array<[string, string, string[]]> = [
    ['a week ahead: both', '2026-12-03T15:00:00Z', ['2026-12-08T15:00:00.000Z', '2026-12-10T13:00:00.000Z']],
    [
      'one day ahead: the 48 h one at once (late), the 2 h one on time',
      '2026-12-09T15:00:00Z',
      ['2026-12-08T15:00:00.000Z', '2026-12-10T13:00:00.000Z'],
    ],
    ['one hour ahead: only the 2 h one, at once', '2026-12-10T14:00:00Z', ['2026-12-10T13:00:00.000Z']],
    ['already started: none', '2026-12-10T15:00:00Z', []],
  ];
  it.each(cases)('%s', (_name, now, expected) => {
    expect(conferenceReminderTimes(startsAt, new Date(now)).map((r) => r.dueAt.toISOString())).toEqual(expected);
  });
});

describe('mouReminderDueAt', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    ['far away: 60 days before, 09:00 local (EST)', '2027-06-30', '2026-12-01T12:00:00Z', '2027-05-01T13:00:00.000Z'],
    ['within 60 days: at once', '2026-12-31', '2026-12-01T12:00:00Z', '2026-12-01T12:00:00.000Z'],
    ['expired: none', '2026-11-30', '2026-12-01T12:00:00Z', undefined],
  ];
  it.each(cases)('%s', (_name, expiresOn, now, expected) => {
    expect(mouReminderDueAt(expiresOn, 'America/New_York', new Date(now))?.toISOString()).toBe(expected);
  });
});
