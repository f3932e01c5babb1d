import type { IncidentRecord } from './incident.mapper';
import { intakePlaces, type IntakePhiPlace } from './phi-places';

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

/** Decrypts a stored PHI value at its place (the incident's department); undefined for null. */
export type OpenPhi = (ciphertext: string | null, place: IntakePhiPlace) => string | undefined;

/** The API representation of an incident; `open` decrypts PHI columns for the authorized caller only. */
export function incidentView(incident: StoredIncident, open: OpenPhi) {
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
      address: open(incident.locationAddress, intakePlaces.incident(incident.id, 'location_address')),
      latitude: incident.latitude ?? undefined,
      longitude: incident.longitude ?? undefined,
      district: incident.district ?? undefined,
    },
    callType: incident.callType,
    disposition: incident.disposition ?? undefined,
    encounter: incident.encounter,
    narrative: open(incident.narrative, intakePlaces.incident(incident.id, 'narrative')),
    reportingOfficerId: incident.reportingOfficerId,
    behavioralHealth: {
      relatedTo: incident.bhRelatedTo,
      observations: incident.bhObservations,
      suspectedUsing: incident.bhSuspectedUsing,
    },
    subjects: incident.subjects.map((s) => ({
      id: s.id,
      personId: s.personId ?? undefined,
      name: open(s.name, intakePlaces.subject(s.id, 'name')),
      dateOfBirth: open(s.dateOfBirth, intakePlaces.subject(s.id, 'date_of_birth')),
      phone: open(s.phone, intakePlaces.subject(s.id, 'phone')),
      address: open(s.address, intakePlaces.subject(s.id, 'address')),
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
