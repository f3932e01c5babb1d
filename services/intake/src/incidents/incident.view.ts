import type { IncidentRecord } from './incident.mapper';

type StoredIncident = Omit<
  IncidentRecord,
  'subjects' | 'source' | 'bhObservations' | 'bhSuspectedUsing' | 'bhRelatedTo' | 'encounter'
> & {
  bhRelatedTo: string;
  bhObservations: string[];
  bhSuspectedUsing: string[];
  encounter: string;
  subjects: (Omit<IncidentRecord['subjects'][number], 'incidentId' | 'departmentId' | 'ordinal'> & {
    personId?: string | null;
  })[];
};

/** The API representation of an incident; `open` decrypts PHI columns for the authorized caller only. */
export function incidentView(incident: StoredIncident, open: (ciphertext: string | null) => string | undefined) {
  return {
    id: incident.id,
    departmentId: incident.departmentId,
    externalIds: {
      cadCallNumber: incident.cadCallNumber ?? undefined,
      rmsIncidentNumber: incident.rmsIncidentNumber ?? undefined,
    },
    occurredAt: incident.occurredAt.toISOString(),
    receivedAt: incident.receivedAt.toISOString(),
    location: {
      address: open(incident.locationAddress),
      latitude: incident.latitude ?? undefined,
      longitude: incident.longitude ?? undefined,
      district: incident.district ?? undefined,
    },
    callType: incident.callType,
    disposition: incident.disposition ?? undefined,
    encounter: incident.encounter,
    narrative: open(incident.narrative),
    reportingOfficerId: incident.reportingOfficerId,
    behavioralHealth: {
      relatedTo: incident.bhRelatedTo,
      observations: incident.bhObservations,
      suspectedUsing: incident.bhSuspectedUsing,
    },
    subjects: incident.subjects.map((s) => ({
      id: s.id,
      personId: s.personId ?? undefined,
      name: open(s.name),
      dateOfBirth: open(s.dateOfBirth),
      phone: open(s.phone),
      address: open(s.address),
      language: s.language ?? undefined,
      flags: {
        juvenile: s.juvenile,
        senior: s.senior,
        veteran: s.veteran,
        experiencingHomelessness: s.experiencingHomelessness,
      },
    })),
    version: incident.version,
    createdAt: incident.createdAt.toISOString(),
    updatedAt: incident.updatedAt.toISOString(),
  };
}
export type IncidentView = ReturnType<typeof incidentView>;
