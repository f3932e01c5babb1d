// What the outcome routes record in the PHI access audit: ids and field names, never values.
import type { AuditEntryInput } from '@cit/audit';
import type { OutcomeView } from './outcome.view';

/** Action item descriptions shown in an answer (the only PHI an outcome carries). */
export function outcomeDescriptionsRead(outcomes: readonly OutcomeView[], personId: string | null): AuditEntryInput[] {
  return outcomes
    .filter((o) => o.actionItems.length > 0)
    .map((o) => ({
      action: 'read' as const,
      recordType: 'conference-outcome',
      recordId: o.id,
      personIds: personId ? [personId] : [],
      fields: ['actionItems.description'],
    }));
}

/** An outcome written with its action items' descriptions. */
export function outcomeWritten(
  outcomeId: string,
  personId: string | null,
  withDescriptions: boolean,
): AuditEntryInput[] {
  return [
    {
      action: 'create',
      recordType: 'conference-outcome',
      recordId: outcomeId,
      personIds: personId ? [personId] : [],
      fields: [
        'status',
        'leadAgencyId',
        'assistingAgencyIds',
        ...(withDescriptions ? ['actionItems.description'] : []),
      ],
    },
  ];
}
