// What the four-filter steps record in the PHI access audit: ids and field names, never values.
import type { AuditEntryInput } from '@cit/audit';
import type { DisclosureRole } from './case-view';

/** Fields each disclosure role gives the agency (filter 2: limited identity; 3/4: what planning needs). */
export const DISCLOSED_FIELDS: Record<DisclosureRole, readonly string[]> = {
  selected: ['name', 'birthDate'],
  lead: ['name', 'birthDate', 'reasonText', 'contact'],
  assisting: ['name', 'birthDate', 'reasonText', 'contact'],
};

/** One disclosure of a nomination's identity to an agency. */
export function identityDisclosed(
  nominationId: string,
  agencyId: string,
  role: DisclosureRole,
  personId: string | null,
): AuditEntryInput {
  return {
    action: 'export',
    recordType: 'identity-disclosure',
    recordId: `${nominationId}:${agencyId}:${role}`,
    personIds: personId ? [personId] : [],
    fields: [...DISCLOSED_FIELDS[role]],
  };
}

/** The table's risk decision on the case (filter 2); a redaction names what was removed. */
export function riskDecided(nominationId: string, personId: string | null, redacted: boolean): AuditEntryInput {
  return {
    action: 'decide',
    recordType: 'nomination',
    recordId: nominationId,
    personIds: personId ? [personId] : [],
    fields: redacted ? ['name', 'birthDate', 'reasonText', 'contact', 'riskFactors'] : ['privacyStage'],
  };
}
