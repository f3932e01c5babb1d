import { loadCalendarsOptions } from './calendars-options';

describe('loadCalendarsOptions', () => {
  it('defaults to 90 days back, cit-platform UIDs and the request origin', () => {
    expect(loadCalendarsOptions({})).toEqual({ pastDays: 90, uidDomain: 'cit-platform' });
  });

  it('reads the variables', () => {
    expect(
      loadCalendarsOptions({
        CONFERENCE_CALENDAR_PAST_DAYS: '30',
        CONFERENCE_CALENDAR_UID_DOMAIN: 'conf.example.org',
        CONFERENCE_CALENDAR_PUBLIC_URL: 'https://cit.example.org/conference/',
      }),
    ).toEqual({ pastDays: 30, uidDomain: 'conf.example.org', publicBaseUrl: 'https://cit.example.org/conference' });
  });

  it.each([
    ['CONFERENCE_CALENDAR_PAST_DAYS', '-1'],
    ['CONFERENCE_CALENDAR_PAST_DAYS', 'soon'],
    ['CONFERENCE_CALENDAR_UID_DOMAIN', 'Bad Domain'],
    ['CONFERENCE_CALENDAR_UID_DOMAIN', 'a@b'],
    ['CONFERENCE_CALENDAR_PUBLIC_URL', 'ftp://x.example.org'],
    ['CONFERENCE_CALENDAR_PUBLIC_URL', 'https://x.example.org/?a=1'],
  ])('stops on a bad %s, naming it', (name, value) => {
    expect(() => loadCalendarsOptions({ [name]: value })).toThrow(name);
  });
});
