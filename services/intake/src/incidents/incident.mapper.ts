import {
  buildEvent,
  newId,
  type CloudEvent,
  type CreateIncidentRequest,
  type IncidentReported,
  type IncidentSource,
} from '@cit/contracts';
import { intakePlaces, type IntakePhiPlace } from './phi-places';

/** Field encryption and blind indexing, as the mapper needs them (no framework types). */
export interface PhiProtection {
  /** Encrypts plain bound to its place (the department is the unit of work's). */
  encrypt(plain: string, place: IntakePhiPlace): string;
  /**
   * Blind indexes of name + date of birth and name + phone in the unit of work's department
   * (null where not matchable), with the previous version's while a rotation runs.
   */
  indexes(name: string, dateOfBirth: string | undefined, phone: string | undefined): SubjectIndexValues;
}

/** A subject's blind indexes as PhiProtection computes them. */
export interface SubjectIndexValues {
  personMatchIndex: string | null;
  personPhoneIndex: string | null;
  previous: { personMatchIndex: string | null; personPhoneIndex: string | null } | null;
}

const optional = (value: string | undefined, protect: PhiProtection, place: IntakePhiPlace): string | null =>
  value === undefined ? null : protect.encrypt(value, place);

/** The stored shape of a new incident: PHI encrypted, codes in the clear. */
export function incidentRecordFromRequest(
  req: CreateIncidentRequest,
  ids: { incidentId: string; departmentId: string; createdBy: string; now: Date; source?: IncidentSource },
  protect: PhiProtection,
) {
  const subjects = req.subjects.map((s, ordinal) => {
    const id = newId('sub');
    const indexes = protect.indexes(s.name, s.dateOfBirth, s.phone);
    return {
      id,
      incidentId: ids.incidentId,
      departmentId: ids.departmentId,
      ordinal,
      name: protect.encrypt(s.name, intakePlaces.subject(id, 'name')),
      dateOfBirth: optional(s.dateOfBirth, protect, intakePlaces.subject(id, 'date_of_birth')),
      phone: optional(s.phone, protect, intakePlaces.subject(id, 'phone')),
      address: optional(s.address, protect, intakePlaces.subject(id, 'address')),
      language: s.language ?? null,
      juvenile: s.flags.juvenile ?? false,
      senior: s.flags.senior ?? false,
      veteran: s.flags.veteran ?? false,
      experiencingHomelessness: s.flags.experiencingHomelessness ?? false,
      personMatchIndex: indexes.personMatchIndex,
      personPhoneIndex: indexes.personPhoneIndex,
      // Lookups only (a rotation in progress): never stored, absent outside a rotation.
      ...(indexes.previous ? { previous: indexes.previous } : {}),
      personId: null as string | null,
    };
  });
  return {
    id: ids.incidentId,
    departmentId: ids.departmentId,
    cadCallNumber: req.externalIds.cadCallNumber ?? null,
    rmsIncidentNumber: req.externalIds.rmsIncidentNumber ?? null,
    occurredAt: new Date(req.occurredAt),
    receivedAt: new Date(req.receivedAt ?? ids.now.toISOString()),
    callType: req.callType,
    disposition: req.disposition ?? null,
    encounter: req.encounter,
    district: req.location.district ?? null,
    locationAddress: optional(req.location.address, protect, intakePlaces.incident(ids.incidentId, 'location_address')),
    latitude: req.location.latitude ?? null,
    longitude: req.location.longitude ?? null,
    bhRelatedTo: req.behavioralHealth.relatedTo,
    bhObservations: req.behavioralHealth.observations,
    bhSuspectedUsing: req.behavioralHealth.suspectedUsing,
    narrative: optional(req.narrative, protect, intakePlaces.incident(ids.incidentId, 'narrative')),
    reportingOfficerId: req.reportingOfficerId,
    source: ids.source ?? ('api' satisfies IncidentSource),
    version: 1,
    createdBy: ids.createdBy,
    createdAt: ids.now,
    updatedAt: ids.now,
    subjects,
  };
}

export type IncidentRecord = ReturnType<typeof incidentRecordFromRequest>;

/** The cit.incident.reported.v1 payload of a stored incident: ids and codes, PHI as ciphertext only. */
export function incidentReportedData(record: IncidentRecord): IncidentReported {
  return {
    incidentId: record.id,
    externalIds: {
      ...(record.cadCallNumber ? { cadCallNumber: record.cadCallNumber } : {}),
      ...(record.rmsIncidentNumber ? { rmsIncidentNumber: record.rmsIncidentNumber } : {}),
    },
    occurredAt: record.occurredAt.toISOString(),
    receivedAt: record.receivedAt.toISOString(),
    ...(record.district ? { district: record.district } : {}),
    callType: record.callType,
    ...(record.disposition ? { disposition: record.disposition } : {}),
    encounter: record.encounter,
    behavioralHealth: {
      relatedTo: record.bhRelatedTo,
      observations: record.bhObservations as IncidentReported['behavioralHealth']['observations'],
      suspectedUsing: record.bhSuspectedUsing as IncidentReported['behavioralHealth']['suspectedUsing'],
    },
    reportingOfficerId: record.reportingOfficerId,
    subjects: record.subjects.map((s) => ({
      subjectId: s.id,
      ...(s.personId ? { personId: s.personId } : {}),
      flags: {
        juvenile: s.juvenile,
        senior: s.senior,
        veteran: s.veteran,
        experiencingHomelessness: s.experiencingHomelessness,
      },
      ...(s.language ? { language: s.language } : {}),
      name: s.name,
      ...(s.dateOfBirth ? { dateOfBirth: s.dateOfBirth } : {}),
      ...(s.phone ? { phone: s.phone } : {}),
      ...(s.address ? { address: s.address } : {}),
    })),
    ...(record.narrative ? { narrative: record.narrative } : {}),
    source: record.source,
  };
}

/** Who caused an event: the flow it belongs to and the request that triggered it. */
export interface EventCause {
  correlationId: string;
  causationId?: string;
}

/** cit.incident.reported.v1 of a stored incident: the one builder for single reports and imports (source from the contract). */
export function incidentReportedEvent(record: IncidentRecord, cause: EventCause): CloudEvent<IncidentReported> {
  return buildEvent('cit.incident.reported.v1', record.id, incidentReportedData(record), {
    departmentId: record.departmentId,
    correlationId: cause.correlationId,
    causationId: cause.causationId,
  });
}
