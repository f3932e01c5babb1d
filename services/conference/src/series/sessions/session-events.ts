import { buildEvent, type CloudEvent, type EventData } from '@cit/contracts';
import { DateTime } from 'luxon';
import type { SeriesRecord, SessionRecord } from '../series.record';

/** The event chain a change belongs to. */
export interface ChangeContext {
  departmentId: string;
  correlationId: string;
  causationId?: string;
}

/** An instant as ISO 8601 with the offset of the series' zone (what a reader of the event expects to see). */
export function zonedIso(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant).setZone(zone).toISO({ suppressMilliseconds: true })!;
}

/**
 * Status of a session in cit.conference.session-scheduled.v1: cancelled, rescheduled (moved by
 * hand from its regular time), else scheduled.
 */
export function sessionEventStatus(s: SessionRecord): EventData<'cit.conference.session-scheduled.v1'>['status'] {
  if (s.status === 'cancelled') return 'cancelled';
  return s.rescheduled ? 'rescheduled' : 'scheduled';
}

/** cit.conference.session-scheduled.v1 for a session as it is now (written on every creation and change). */
export function sessionScheduledEvent(
  series: SeriesRecord,
  s: SessionRecord,
  ctx: ChangeContext,
): CloudEvent<EventData<'cit.conference.session-scheduled.v1'>> {
  return buildEvent(
    'cit.conference.session-scheduled.v1',
    s.id,
    {
      sessionId: s.id,
      seriesId: series.id,
      seriesKind: series.kind,
      startsAt: zonedIso(s.startsAt, series.timeZone),
      endsAt: zonedIso(s.endsAt, series.timeZone),
      caseCapacity: s.caseCapacity,
      memberAgencyIds: series.members.map((m) => m.agencyId),
      status: sessionEventStatus(s),
      sequence: s.sequence,
    },
    ctx,
  );
}
