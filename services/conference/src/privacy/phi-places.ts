import { incidentSubjectPhiBinding } from '@cit/contracts';
import type { PhiBinding } from '@cit/persistence';

/** Nomination columns that hold PHI ciphertext. */
export type NominationPhiColumn =
  | 'name_ciphertext'
  | 'birth_date_ciphertext'
  | 'reason_text_ciphertext'
  | 'contact_ciphertext';

const SUBJECT_FIELD = { name_ciphertext: 'name', birth_date_ciphertext: 'dateOfBirth' } as const;

/**
 * Where a nomination's PHI value is bound (libs/persistence PhiBinding). Values conference
 * encrypts itself are bound to their nomination row and column. Name and birth date taken from
 * cit.incident.reported.v1 stay intake's tokens, bound to intake's subject row: the subject id
 * kept beside them (name_subject_id, birth_date_subject_id) says so, and they decrypt with the
 * binding the event documents. Legacy enc:v1 values were written without associated data.
 */
export function nominationPhiPlace(
  departmentId: string,
  nominationId: string,
  column: NominationPhiColumn,
  subjectId: string | null = null,
): PhiBinding {
  if (subjectId !== null && (column === 'name_ciphertext' || column === 'birth_date_ciphertext')) {
    return incidentSubjectPhiBinding(departmentId, subjectId, SUBJECT_FIELD[column]);
  }
  return { departmentId, table: 'nomination', column, rowId: nominationId, legacyAad: '' };
}

/** The binding of a subject's name or birth date that conference keeps from intake's event. */
export function reportedSubjectPlace(
  departmentId: string,
  subjectId: string | null,
  field: 'name' | 'dateOfBirth',
): PhiBinding {
  // Projections written before subject ids were kept hold enc:v1 tokens, read without a binding.
  return subjectId === null
    ? { departmentId, table: 'incident_subject', column: field, rowId: 'unknown', legacyAad: '' }
    : incidentSubjectPhiBinding(departmentId, subjectId, field);
}
