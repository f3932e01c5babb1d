// What each case route records in the PHI access audit (@cit/audit): record ids, person ids and
// field names, never values. A case is itself health information about a person (that the
// person is in care coordination), so listing and reading cases are recorded too.
import type { AuditEntryInput, AuditHttpRequest } from '@cit/audit';

interface CaseLike {
  id: string;
  personId: string;
  contacts?: { notes?: string }[];
}

const param = (req: AuditHttpRequest, name: string): string => String(req.params[name] ?? '');

/** GET /v1/cases: one entry per listed case. */
export function casesListed(page: { items: CaseLike[] }): AuditEntryInput[] {
  return page.items.map((c) => ({
    action: 'read' as const,
    recordType: 'case',
    recordId: c.id,
    personIds: [c.personId],
    fields: ['status', 'riskLevel', 'needs'],
  }));
}

/** GET /v1/cases/{id}: the case and, when shown, the outreach notes. */
export function caseRead(c: CaseLike): AuditEntryInput[] {
  const fields = ['status', 'riskLevel', 'needs', 'incidents', 'contacts', 'contactPreference'];
  if (c.contacts?.some((x) => x.notes !== undefined)) fields.push('contacts.notes');
  return [{ action: 'read', recordType: 'case', recordId: c.id, personIds: [c.personId], fields }];
}

/** A case opened by hand (appended by the service in the transaction that creates it). */
export function caseCreatedEntries(c: { id: string; personId: string }): AuditEntryInput[] {
  return [
    { action: 'create', recordType: 'case', recordId: c.id, personIds: [c.personId], fields: ['source', 'riskLevel'] },
  ];
}

/** An outreach contact logged (appended by the service with the contact id it creates). */
export function contactLoggedEntries(
  c: { caseId: string; personId: string; contactId: string },
  withNotes: boolean,
): AuditEntryInput[] {
  return [
    {
      action: 'create',
      recordType: 'case-contact',
      recordId: c.contactId,
      personIds: [c.personId],
      fields: withNotes ? ['outcome', 'channel', 'notes'] : ['outcome', 'channel'],
    },
  ];
}

/** POST /v1/cases/{id}/status. */
export function caseStatusChanged(req: AuditHttpRequest): AuditEntryInput[] {
  return [{ action: 'update', recordType: 'case', recordId: param(req, 'id'), fields: ['status'] }];
}

/** POST /v1/cases/{id}/assignment. */
export function caseAssigned(req: AuditHttpRequest): AuditEntryInput[] {
  return [{ action: 'update', recordType: 'case', recordId: param(req, 'id'), fields: ['assignedTo'] }];
}

/** GET /v1/cases/{id}/diversion-plan. */
export function diversionPlanRead(plan: { caseId: string; personId: string }): AuditEntryInput[] {
  return [
    {
      action: 'read',
      recordType: 'diversion-plan',
      recordId: plan.caseId,
      personIds: [plan.personId],
      fields: ['treatmentGoals', 'chargeRecommendation'],
    },
  ];
}

/** PUT /v1/cases/{id}/diversion-plan. */
export function diversionPlanWritten(req: AuditHttpRequest): AuditEntryInput[] {
  return [
    {
      action: 'update',
      recordType: 'diversion-plan',
      recordId: param(req, 'id'),
      fields: ['treatmentGoals', 'chargeRecommendation'],
    },
  ];
}
