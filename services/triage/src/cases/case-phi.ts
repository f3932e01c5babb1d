import type { PhiBinding } from '@cit/persistence';

/**
 * Where each encrypted case field is bound (libs/persistence PhiBinding): department, table,
 * column and row, so a token copied to another row, column or department does not decrypt.
 * legacyAad is what the field's enc:v1 tokens were written with before issue 14.
 */
export const caseAad = {
  contactNotes: (departmentId: string, contactId: string): PhiBinding => ({
    departmentId,
    table: 'case_contact',
    column: 'notes_ciphertext',
    rowId: contactId,
    legacyAad: `case_contact.notes:${contactId}`,
  }),
  // A plan version is keyed by (case id, version): the row id is both, as the key tool joins them.
  diversionGoals: (departmentId: string, caseId: string, version: number): PhiBinding => ({
    departmentId,
    table: 'diversion_plan',
    column: 'treatment_goals_ciphertext',
    rowId: `${caseId}:${version}`,
    legacyAad: `diversion_plan.treatment_goals:${caseId}:${version}`,
  }),
  diversionRecommendation: (departmentId: string, caseId: string, version: number): PhiBinding => ({
    departmentId,
    table: 'diversion_plan',
    column: 'charge_recommendation_ciphertext',
    rowId: `${caseId}:${version}`,
    legacyAad: `diversion_plan.charge_recommendation:${caseId}:${version}`,
  }),
};
