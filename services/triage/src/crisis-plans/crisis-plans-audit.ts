// What the crisis-plan routes record in the PHI access audit: ids and field names, never values.
import type { AuditEntryInput, AuditHttpRequest } from '@cit/audit';

const PLAN_FIELDS = ['whoToCall', 'whatHelps', 'whatEscalates', 'safetyNotes', 'preferredLanguage', 'reviewDate'];

/** PUT /v1/persons/{personId}/crisis-plan: a new version written for the person. */
export function crisisPlanWritten(req: AuditHttpRequest): AuditEntryInput[] {
  const personId = String(req.params.personId ?? '');
  return [
    { action: 'create', recordType: 'crisis-plan', recordId: personId, personIds: [personId], fields: PLAN_FIELDS },
  ];
}

/** A crisis plan read (by person, or from an incident by an officer): the plan version and its person. */
export function crisisPlanRead(plan: { id: string; personId: string; writtenForPersonId?: string }): AuditEntryInput[] {
  const personIds = [plan.personId, ...(plan.writtenForPersonId ? [plan.writtenForPersonId] : [])];
  return [{ action: 'read', recordType: 'crisis-plan', recordId: plan.id, personIds, fields: PLAN_FIELDS }];
}

/** GET /v1/persons/{personId}/crisis-plan/versions: which versions exist (no content). */
export function crisisPlanVersionsListed(answer: { personId: string; items: { id: string }[] }): AuditEntryInput[] {
  return answer.items.map((v) => ({
    action: 'read' as const,
    recordType: 'crisis-plan',
    recordId: v.id,
    personIds: [answer.personId],
    fields: ['version', 'reviewDate'],
  }));
}

/** GET /v1/incidents/{incidentId}/crisis-plan: the plan shown from the incident. */
export function incidentCrisisPlanRead(answer: {
  plan: { id: string; personId: string; writtenForPersonId?: string };
}): AuditEntryInput[] {
  return crisisPlanRead(answer.plan);
}

/** A refused read from an incident (caller not CJIS-cleared): recorded as denied. */
export function incidentCrisisPlanDenied(incidentId: string): AuditEntryInput[] {
  return [{ action: 'read', recordType: 'incident-crisis-plan', recordId: incidentId, outcome: 'denied' }];
}
