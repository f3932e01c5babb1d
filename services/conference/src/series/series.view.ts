import type { SeriesRecord } from './series.record';

/** A series as the API shows it. */
export function seriesView(s: SeriesRecord) {
  return {
    id: s.id,
    kind: s.kind,
    title: s.title,
    rrule: s.rrule,
    firstOccurrence: s.firstOccurrence,
    timeZone: s.timeZone,
    durationMinutes: s.durationMinutes,
    location: s.location,
    meetingUrl: s.meetingUrl,
    members: s.members,
    caseCapacity: s.caseCapacity,
    nominationCutoffHours: s.nominationCutoffHours,
    status: s.status,
    endedAt: s.endedAt?.toISOString() ?? null,
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
