// A referral as FHIR R4 resources shaped like the HL7 SDOH Clinical Care IG (ServiceRequest,
// Task with status and businessStatus, Consent when consent is the basis). Plain TypeScript.
import type { ReferralStatus } from '@cit/contracts';
import { businessStatus } from '../referral-lifecycle';
import type { ReferralRecord } from '../referral.store';

/** FHIR ids allow [A-Za-z0-9-.] only. */
export const fhirId = (id: string): string => id.replace(/_/g, '-');

const SDOH_CATEGORY = {
  coding: [
    {
      system: 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
      code: 'sdoh-category-unspecified',
      display: 'SDOH Category Unspecified',
    },
  ],
};

function serviceRequestStatus(s: ReferralStatus): string {
  if (s === 'on-hold') return 'on-hold';
  if (s === 'completed') return 'completed';
  if (s === 'rejected' || s === 'cancelled' || s === 'failed') return 'revoked';
  return 'active';
}

const PRIORITY = { routine: 'routine', urgent: 'urgent', emergent: 'stat' } as const;

export function referralBundle(r: ReferralRecord, departmentId: string, lastModified: Date) {
  const patient = r.personId ? { reference: `Patient/${fhirId(r.personId)}` } : undefined;
  const srId = fhirId(r.id);
  const agency = { reference: `Organization/${fhirId(r.agencyId)}`, display: r.agencyId };
  const department = { reference: `Organization/${fhirId(departmentId)}` };
  const serviceRequest = {
    resourceType: 'ServiceRequest',
    id: srId,
    meta: { profile: ['http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-ServiceRequest'] },
    status: serviceRequestStatus(r.status),
    intent: 'order',
    priority: PRIORITY[r.urgency],
    category: [SDOH_CATEGORY],
    code: { text: `Referral for ${r.needs.join(', ')}` },
    ...(patient ? { subject: patient } : { subject: { display: 'person not identified' } }),
    authoredOn: r.createdAt.toISOString(),
    requester: department,
    performer: [agency],
    reasonCode: r.needs.map((n) => ({ text: n })),
    identifier: [{ system: 'urn:cit:referral', value: r.id }],
  };
  const outputs = r.outcome
    ? [
        {
          type: { text: 'outcome' },
          valueCodeableConcept: {
            coding: [{ system: 'urn:cit:referral-outcome', code: r.outcome }],
            text: r.outcome.replace(/-/g, ' '),
          },
        },
      ]
    : [];
  const task = {
    resourceType: 'Task',
    id: `${srId}-task`,
    meta: {
      profile: ['http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForReferralManagement'],
    },
    status: r.status,
    businessStatus: { text: businessStatus(r.status, r.outcome) },
    ...(r.reasonCode ? { statusReason: { coding: [{ system: 'urn:cit:referral-reason', code: r.reasonCode }] } } : {}),
    intent: 'order',
    priority: PRIORITY[r.urgency],
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    focus: { reference: `ServiceRequest/${srId}` },
    ...(patient ? { for: patient } : {}),
    authoredOn: r.createdAt.toISOString(),
    lastModified: lastModified.toISOString(),
    requester: department,
    owner: agency,
    restriction: { period: { end: r.acceptBy.toISOString() } },
    ...(outputs.length ? { output: outputs } : {}),
  };
  const entries: { fullUrl: string; resource: Record<string, unknown> }[] = [
    { fullUrl: `urn:uuid:${srId}`, resource: serviceRequest },
    { fullUrl: `urn:uuid:${srId}-task`, resource: task },
  ];
  const consent = r.checklist.consent;
  if (r.legalBasis === 'consent' && consent.consentId && patient) {
    entries.push({
      fullUrl: `urn:uuid:${fhirId(consent.consentId)}`,
      resource: {
        resourceType: 'Consent',
        id: fhirId(consent.consentId),
        status: 'active',
        scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
        category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
        patient,
        policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
        provision: {
          type: 'permit',
          ...(consent.expiresAt ? { period: { end: consent.expiresAt } } : {}),
          actor: [
            {
              role: {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }],
              },
              reference: agency,
            },
          ],
          class: consent.categories.map((c) => ({ system: 'urn:cit:disclosure-category', code: c })),
        },
      },
    });
  }
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: lastModified.toISOString(),
    entry: entries,
  };
}
