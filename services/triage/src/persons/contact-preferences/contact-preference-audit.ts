// What the contact-preference routes record in the PHI access audit: ids and field names only.
import type { AuditEntryInput, AuditHttpRequest } from '@cit/audit';

/** PUT /v1/persons/{personId}/contact-preference. */
export function contactPreferenceWritten(req: AuditHttpRequest): AuditEntryInput[] {
  const personId = String(req.params.personId ?? '');
  return [
    {
      action: 'update',
      recordType: 'contact-preference',
      recordId: personId,
      personIds: [personId],
      fields: ['doNotContact', 'allowedChannels'],
    },
  ];
}

/** GET /v1/persons/{personId}/contact-preference. */
export function contactPreferenceRead(answer: { personId: string }): AuditEntryInput[] {
  return [
    {
      action: 'read',
      recordType: 'contact-preference',
      recordId: answer.personId,
      personIds: [answer.personId],
      fields: ['doNotContact', 'allowedChannels'],
    },
  ];
}
