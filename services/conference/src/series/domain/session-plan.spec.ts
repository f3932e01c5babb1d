import { parseSeriesRule } from './recurrence';
import { capacityProblem, memberProblems } from './series-rules';
import {
  planHorizon,
  planSeriesChange,
  type PlannedSession,
  type SessionChange,
  type SessionTemplate,
} from './session-plan';

function template(rrule: string, first: string, over: Partial<SessionTemplate> = {}): SessionTemplate {
  const check = parseSeriesRule(rrule);
  if (!check.ok) throw new Error(check.reason);
  return {
    recurrence: { rule: check.rule, firstOccurrence: first, timeZone: 'America/New_York' },
    durationMinutes: 90,
    nominationCutoffHours: 48,
    caseCapacity: 6,
    location: 'Room 4',
    meetingUrl: null,
    ...over,
  };
}

/** Sessions as the horizon would have stored them. */
function stored(t: SessionTemplate, now: Date, until: Date): PlannedSession[] {
  return planHorizon(t, new Set(), now, until).map((c, i) => {
    if (c.kind !== 'create') throw new Error('expected creations');
    return { id: `ses_${i}`, recurrenceLocal: c.recurrenceLocal, status: 'scheduled', rescheduled: false, ...c.fields };
  });
}

const kinds = (changes: SessionChange[]) => changes.map((c) => `${c.kind}:${'id' in c ? c.id : c.recurrenceLocal}`);

const now = new Date('2026-12-02T12:00:00Z');
const horizon = new Date('2027-01-01T00:00:00Z');

describe('planHorizon', () => {
  it('creates the sessions up to the horizon with cutoff and end, skipping those that exist', () => {
    const t = template('FREQ=WEEKLY;BYDAY=TU', '2026-11-03T10:00');
    const all = planHorizon(t, new Set(), now, horizon);
    expect(all.map((c) => (c.kind === 'create' ? c.recurrenceLocal : ''))).toEqual([
      '2026-12-08T10:00:00',
      '2026-12-15T10:00:00',
      '2026-12-22T10:00:00',
      '2026-12-29T10:00:00',
    ]);
    expect(all[0]).toMatchObject({
      fields: {
        startsAt: new Date('2026-12-08T15:00:00Z'),
        endsAt: new Date('2026-12-08T16:30:00Z'),
        cutoffAt: new Date('2026-12-06T15:00:00Z'),
        caseCapacity: 6,
        location: 'Room 4',
      },
    });
    const again = planHorizon(t, new Set(['2026-12-08T10:00:00', '2026-12-15T10:00:00']), now, horizon);
    expect(again).toHaveLength(2);
  });
});

describe('planSeriesChange', () => {
  const base = template('FREQ=WEEKLY;BYDAY=TU', '2026-11-03T10:00');
  const sessions = stored(base, now, horizon);

  it('changes nothing when nothing changed', () => {
    expect(planSeriesChange(base, sessions, now, horizon)).toEqual([]);
  });

  it('updates every future session when capacity or place change, keeping ids', () => {
    const changes = planSeriesChange({ ...base, caseCapacity: 8, location: 'Room 9' }, sessions, now, horizon);
    expect(kinds(changes)).toEqual(['update:ses_0', 'update:ses_1', 'update:ses_2', 'update:ses_3']);
    expect(changes[0]).toMatchObject({ fields: { caseCapacity: 8, location: 'Room 9' } });
  });

  it('cancels occurrences that no longer exist and creates the new ones', () => {
    const biweekly = template('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', '2026-11-03T10:00');
    expect(kinds(planSeriesChange(biweekly, sessions, now, horizon))).toEqual(['cancel:ses_0', 'cancel:ses_2']);
    const thursdays = template('FREQ=WEEKLY;BYDAY=TH', '2026-11-05T10:00');
    expect(kinds(planSeriesChange(thursdays, sessions, now, horizon))).toEqual([
      'create:2026-12-03T10:00:00',
      'create:2026-12-10T10:00:00',
      'create:2026-12-17T10:00:00',
      'create:2026-12-24T10:00:00',
      'create:2026-12-31T10:00:00',
      'cancel:ses_0',
      'cancel:ses_1',
      'cancel:ses_2',
      'cancel:ses_3',
    ]);
  });

  it('moves the time of day by updating the same-day session under its new RECURRENCE-ID', () => {
    const later = template('FREQ=WEEKLY;BYDAY=TU', '2026-11-03T11:00');
    const changes = planSeriesChange(later, sessions, now, horizon);
    expect(kinds(changes)).toEqual(['update:ses_0', 'update:ses_1', 'update:ses_2', 'update:ses_3']);
    expect(changes[0]).toMatchObject({
      recurrenceLocal: '2026-12-08T11:00:00',
      fields: { startsAt: new Date('2026-12-08T16:00:00Z') },
    });
  });

  it('keeps a cancelled session cancelled (relabelled when the time moves) and a rescheduled one at its own time', () => {
    const [first, second, ...rest] = sessions;
    const edited: PlannedSession[] = [
      { ...first!, status: 'cancelled' },
      {
        ...second!,
        rescheduled: true,
        startsAt: new Date('2026-12-16T15:00:00Z'),
        endsAt: new Date('2026-12-16T16:00:00Z'),
      },
      ...rest,
    ];
    const later = template('FREQ=WEEKLY;BYDAY=TU', '2026-11-03T11:00', { caseCapacity: 4 });
    const changes = planSeriesChange(later, edited, now, horizon);
    expect(changes[0]).toEqual({ kind: 'relabel', id: 'ses_0', recurrenceLocal: '2026-12-08T11:00:00' });
    expect(changes[1]).toMatchObject({
      kind: 'update',
      id: 'ses_1',
      fields: {
        startsAt: new Date('2026-12-16T15:00:00Z'),
        endsAt: new Date('2026-12-16T16:00:00Z'),
        cutoffAt: new Date('2026-12-14T15:00:00Z'),
        caseCapacity: 4,
      },
    });
  });

  it('creates only up to the horizon, but never cancels a session beyond it whose occurrence exists', () => {
    const beyond = stored(base, now, new Date('2027-02-01T00:00:00Z'));
    expect(planSeriesChange(base, beyond, now, horizon)).toEqual([]);
  });
});

describe('series rules', () => {
  it('allows capacity 0 for stakeholder meetings and cross-trainings only', () => {
    expect(capacityProblem('stakeholder', 0)).toBeUndefined();
    expect(capacityProblem('cross-training', 0)).toBeUndefined();
    expect(capacityProblem('hub', 0)).toContain('at least 1');
    expect(capacityProblem('custom', 0)).toContain('at least 1');
    expect(capacityProblem('ccit', 101)).toContain('0 to 100');
  });

  it('needs at least one chair and each agency once', () => {
    expect(memberProblems([{ agencyId: 'a', role: 'chair' }])).toEqual([]);
    expect(memberProblems([{ agencyId: 'a', role: 'member' }])).toEqual([
      { field: 'members', detail: 'at least one member must be a chair' },
    ]);
    expect(
      memberProblems([
        { agencyId: 'a', role: 'chair' },
        { agencyId: 'a', role: 'member' },
      ]),
    ).toEqual([{ field: 'members.1.agencyId', detail: 'agency listed twice' }]);
  });
});
