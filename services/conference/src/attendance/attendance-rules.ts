import type { FieldError } from '@cit/service-kit';
import type { RecordAttendanceRequest } from './record-attendance/record-attendance.request';

/**
 * The field errors of an attendance list for a session of `seriesKind` whose member agencies
 * are `members`: one entry per person, a representative names a member agency, training is
 * recorded only at cross-trainings and only for officers and provider staff who were present.
 */
export function attendanceFieldErrors(
  req: RecordAttendanceRequest,
  seriesKind: string,
  members: ReadonlySet<string>,
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  req.attendees.forEach((a, i) => {
    const at = `attendees.${i}`;
    const key = `${a.kind}\u0000${a.id}`;
    if (seen.has(key)) errors.push({ field: `${at}.id`, detail: 'this attendee is listed twice' });
    seen.add(key);
    if (a.kind === 'agency-representative' && (!a.agencyId || !members.has(a.agencyId)))
      errors.push({ field: `${at}.agencyId`, detail: 'a representative names a member agency of the series' });
    if (a.training) {
      if (seriesKind !== 'cross-training')
        errors.push({ field: `${at}.training`, detail: 'training is recorded at cross-training sessions only' });
      else if (a.kind === 'agency-representative')
        errors.push({ field: `${at}.training`, detail: 'training is recorded for officers and provider staff' });
      else if (a.training.completed && !a.present)
        errors.push({ field: `${at}.training.completed`, detail: 'an absent attendee did not complete the training' });
    }
  });
  return errors;
}
