// What the decision and review routes record in the PHI access audit (@cit/audit): a decision
// about a person (risk, needs) is health information, so reads and changes are recorded,
// by record id, person id and field names, never values.
import type { AuditEntryInput, AuditHttpRequest } from '@cit/audit';

const READ_FIELDS = ['riskLevel', 'needs', 'pathways', 'fired'];

/** Reads of decisions (one entry per decision shown). */
export function decisionsRead(items: { id: string; personId: string | null }[]): AuditEntryInput[] {
  return items.map((d) => ({
    action: 'read' as const,
    recordType: 'triage-decision',
    recordId: d.id,
    personIds: d.personId ? [d.personId] : [],
    fields: READ_FIELDS,
  }));
}

/** A supervisor's confirm, assignment or override of a decision. */
export function decisionDecided(fields: string[]) {
  return (req: AuditHttpRequest): AuditEntryInput[] => [
    { action: 'decide', recordType: 'triage-decision', recordId: String(req.params.id ?? ''), fields },
  ];
}
