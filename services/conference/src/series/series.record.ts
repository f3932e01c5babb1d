import type { SeriesKind, SeriesMember } from './domain/series-rules';
import type { WallClock } from './domain/recurrence';

/** A series as stored. */
export interface SeriesRecord {
  id: string;
  departmentId: string;
  kind: SeriesKind;
  title: string;
  rrule: string;
  timeZone: string;
  firstOccurrence: WallClock;
  durationMinutes: number;
  location: string | null;
  meetingUrl: string | null;
  caseCapacity: number;
  nominationCutoffHours: number;
  status: 'active' | 'ended';
  endedAt: Date | null;
  version: number;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
  members: SeriesMember[];
}

/** A session as stored. */
export interface SessionRecord {
  id: string;
  departmentId: string;
  seriesId: string;
  recurrenceLocal: WallClock;
  startsAt: Date;
  endsAt: Date;
  cutoffAt: Date;
  caseCapacity: number;
  location: string | null;
  meetingUrl: string | null;
  status: 'scheduled' | 'cancelled';
  rescheduled: boolean;
  sequence: number;
  cancelReason: string | null;
  updatedAt: Date;
}
