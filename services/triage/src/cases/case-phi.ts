/** AAD of each encrypted case field: binds a token to its row, so a token copied elsewhere does not decrypt. */
export const caseAad = {
  contactNotes: (contactId: string) => `case_contact.notes:${contactId}`,
  diversionGoals: (caseId: string, version: number) => `diversion_plan.treatment_goals:${caseId}:${version}`,
  diversionRecommendation: (caseId: string, version: number) =>
    `diversion_plan.charge_recommendation:${caseId}:${version}`,
};
