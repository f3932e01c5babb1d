import { attendanceFieldErrors } from './attendance-rules';
import type { RecordAttendanceRequest } from './record-attendance/record-attendance.request';

type Attendee = RecordAttendanceRequest['attendees'][number];
const members = new Set(['metro', 'harbor']);
const officer = (over: Partial<Attendee> = {}): Attendee => ({
  kind: 'officer',
  id: 'badge-1',
  present: true,
  ...over,
});
const fields = (kind: string, attendees: Attendee[]) =>
  attendanceFieldErrors({ attendees }, kind, members).map((e) => e.field);

describe('attendanceFieldErrors', () => {
  it.each<[string, string, Attendee[], string[]]>([
    [
      'attendance at any kind of session',
      'hub',
      [officer(), { kind: 'agency-representative', id: 'r1', agencyId: 'metro', present: false }],
      [],
    ],
    ['training at a cross-training', 'cross-training', [officer({ training: { completed: true, hours: 8 } })], []],
    [
      'training at a HUB table',
      'hub',
      [officer({ training: { completed: true, hours: 8 } })],
      ['attendees.0.training'],
    ],
    [
      'training for a representative',
      'cross-training',
      [
        {
          kind: 'agency-representative',
          id: 'r1',
          agencyId: 'metro',
          present: true,
          training: { completed: true, hours: 1 },
        },
      ],
      ['attendees.0.training'],
    ],
    [
      'completed by someone absent',
      'cross-training',
      [officer({ present: false, training: { completed: true, hours: 8 } })],
      ['attendees.0.training.completed'],
    ],
    [
      'a representative of a non-member agency',
      'ccit',
      [{ kind: 'agency-representative', id: 'r1', agencyId: 'elsewhere', present: true }],
      ['attendees.0.agencyId'],
    ],
    [
      'a representative without an agency',
      'ccit',
      [{ kind: 'agency-representative', id: 'r1', present: true }],
      ['attendees.0.agencyId'],
    ],
    ['the same person twice', 'clear', [officer(), officer({ present: false })], ['attendees.1.id']],
    [
      'the same id as two kinds of attendee',
      'clear',
      [officer(), { kind: 'provider-staff', id: 'badge-1', present: true }],
      [],
    ],
  ])('%s', (_name, kind, attendees, expected) => expect(fields(kind, attendees)).toEqual(expected));
});
