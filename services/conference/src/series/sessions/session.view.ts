import type { SeriesRecord, SessionRecord } from '../series.record';
import { sessionEventStatus, zonedIso } from './session-events';

/** A session as the API shows it: instants with the series zone's offset, the local RECURRENCE-ID. */
export function sessionView(series: SeriesRecord, s: SessionRecord) {
  return {
    id: s.id,
    seriesId: series.id,
    seriesKind: series.kind,
    title: series.title,
    timeZone: series.timeZone,
    recurrenceId: s.recurrenceLocal,
    startsAt: zonedIso(s.startsAt, series.timeZone),
    endsAt: zonedIso(s.endsAt, series.timeZone),
    cutoffAt: zonedIso(s.cutoffAt, series.timeZone),
    caseCapacity: s.caseCapacity,
    location: s.location,
    meetingUrl: s.meetingUrl,
    status: s.status,
    eventStatus: sessionEventStatus(s),
    rescheduled: s.rescheduled,
    sequence: s.sequence,
    cancelReason: s.cancelReason,
    updatedAt: s.updatedAt.toISOString(),
  };
}
