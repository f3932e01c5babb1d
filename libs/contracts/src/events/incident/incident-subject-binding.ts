/** Subject fields of cit.incident.reported.v1 that carry PHI ciphertext, by their column in intake's incident_subject. */
export const INCIDENT_SUBJECT_PHI_COLUMNS = {
  name: 'name',
  dateOfBirth: 'date_of_birth',
  phone: 'phone',
  address: 'address',
} as const;

/** A subject field of cit.incident.reported.v1 that carries PHI. */
export type IncidentSubjectPhiField = keyof typeof INCIDENT_SUBJECT_PHI_COLUMNS;

/**
 * The place a subject's PHI ciphertext in cit.incident.reported.v1 is bound to (the fields of
 * @cit/persistence PhiBinding): intake's incident_subject row it was stored in. Intake sends
 * the stored token as is, so a consumer that keeps the token keeps the subject id with it and
 * decrypts with this binding; the token fails anywhere else.
 */
export function incidentSubjectPhiBinding(
  departmentId: string,
  subjectId: string,
  field: IncidentSubjectPhiField,
): { departmentId: string; table: string; column: string; rowId: string; legacyAad: string } {
  return {
    departmentId,
    table: 'incident_subject',
    column: INCIDENT_SUBJECT_PHI_COLUMNS[field],
    rowId: subjectId,
    legacyAad: '',
  };
}
