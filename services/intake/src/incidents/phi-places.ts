import { incidentSubjectPhiBinding } from '@cit/contracts';
import type { PhiBinding } from '@cit/persistence';

/** Where an intake PHI value lives, without its department (an encryption session supplies it). */
export type IntakePhiPlace = Omit<PhiBinding, 'departmentId'>;

/** Subject columns that hold PHI; the event cit.incident.reported.v1 carries them with the same binding. */
export type SubjectPhiColumn = 'name' | 'date_of_birth' | 'phone' | 'address';

const SUBJECT_FIELD = {
  name: 'name',
  date_of_birth: 'dateOfBirth',
  phone: 'phone',
  address: 'address',
} as const;

/**
 * The binding of every PHI column intake stores (libs/persistence PhiBinding): the row's
 * table, column and id. Legacy enc:v1 values were written without associated data, except
 * review decisions. Subject values travel in cit.incident.reported.v1 as stored, so a
 * consumer decrypts them with subjectPlace(department, subjectId, column).
 */
export const intakePlaces = {
  incident: (incidentId: string, column: 'narrative' | 'location_address'): IntakePhiPlace => ({
    table: 'incident',
    column,
    rowId: incidentId,
    legacyAad: '',
  }),
  // The binding cit.incident.reported.v1 documents for its consumers (@cit/contracts).
  subject: (subjectId: string, column: SubjectPhiColumn): IntakePhiPlace => {
    const { departmentId: _department, ...place } = incidentSubjectPhiBinding('', subjectId, SUBJECT_FIELD[column]);
    return place;
  },
  supplement: (supplementId: string): IntakePhiPlace => ({
    table: 'incident_supplement',
    column: 'narrative',
    rowId: supplementId,
    legacyAad: '',
  }),
  changeReason: (changeId: string): IntakePhiPlace => ({
    table: 'incident_change',
    column: 'reason_note',
    rowId: changeId,
    legacyAad: '',
  }),
  decisionReason: (reviewItemId: string): IntakePhiPlace => ({
    table: 'review_item',
    column: 'decision_reason',
    rowId: reviewItemId,
    legacyAad: 'review_item.decision_reason',
  }),
};

/** A place with its department: what FieldCipher.encrypt and decrypt take. */
export function inDepartment(departmentId: string, place: IntakePhiPlace): PhiBinding {
  return { ...place, departmentId };
}

/** The binding a consumer of cit.incident.reported.v1 decrypts a subject's field with. */
export function subjectPlace(departmentId: string, subjectId: string, column: SubjectPhiColumn): PhiBinding {
  return inDepartment(departmentId, intakePlaces.subject(subjectId, column));
}
