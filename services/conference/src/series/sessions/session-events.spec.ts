import { parseCloudEvent } from '@cit/contracts';
import type { SeriesRecord, SessionRecord } from '../series.record';
import { sessionEventStatus, sessionScheduledEvent, zonedIso } from './session-events';

const series = {
  id: 'ser_0123456789abcdef0123456789abcdef',
  departmentId: 'dept-a',
  kind: 'cross-training',
  timeZone: 'America/New_York',
  members: [
    { agencyId: 'metro-mobile-crisis', role: 'chair' },
    { agencyId: 'harbor-recovery', role: 'member' },
  ],
} as SeriesRecord;

const session: SessionRecord = {
  id: 'ses_0123456789abcdef0123456789abcdef',
  departmentId: 'dept-a',
  seriesId: series.id,
  recurrenceLocal: '2027-03-14T10:00:00',
  startsAt: new Date('2027-03-14T14:00:00Z'),
  endsAt: new Date('2027-03-14T15:30:00Z'),
  cutoffAt: new Date('2027-03-12T14:00:00Z'),
  caseCapacity: 0,
  location: 'Academy',
  meetingUrl: null,
  status: 'scheduled',
  rescheduled: false,
  sequence: 0,
  cancelReason: null,
  updatedAt: new Date(),
};

describe('session-scheduled events', () => {
  it('carry instants with the offset of the series zone on that date', () => {
    expect(zonedIso(session.startsAt, 'America/New_York')).toBe('2027-03-14T10:00:00-04:00');
    expect(zonedIso(new Date('2027-03-07T15:00:00Z'), 'America/New_York')).toBe('2027-03-07T10:00:00-05:00');
  });

  it('say cancelled, rescheduled (moved by hand) or scheduled', () => {
    expect(sessionEventStatus(session)).toBe('scheduled');
    expect(sessionEventStatus({ ...session, rescheduled: true })).toBe('rescheduled');
    expect(sessionEventStatus({ ...session, rescheduled: true, status: 'cancelled' })).toBe('cancelled');
  });

  it('validate against the contract, with a caseless kind, capacity 0 and the sequence', () => {
    const event = sessionScheduledEvent(
      series,
      { ...session, sequence: 3 },
      { departmentId: 'dept-a', correlationId: 'cor-1' },
    );
    expect(parseCloudEvent(event).ok).toBe(true);
    expect(event.data).toEqual({
      sessionId: session.id,
      seriesId: series.id,
      seriesKind: 'cross-training',
      startsAt: '2027-03-14T10:00:00-04:00',
      endsAt: '2027-03-14T11:30:00-04:00',
      caseCapacity: 0,
      memberAgencyIds: ['metro-mobile-crisis', 'harbor-recovery'],
      status: 'scheduled',
      sequence: 3,
    });
    expect(event.subject).toBe(session.id);
  });
});
