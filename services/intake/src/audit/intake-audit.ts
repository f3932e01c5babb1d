// What each intake route records in the PHI access audit (@cit/audit): record ids, person ids
// and field names, never values. The controllers name these builders in their @Audit*
// decorators; the interceptor adds who, why and from where.
import type { AuditEntryInput, AuditHttpRequest } from '@cit/audit';

interface IncidentLike {
  id: string;
  narrative?: string;
  location?: { address?: string; district?: string };
  behavioralHealth?: unknown;
  subjects?: { personId?: string; name?: string; dateOfBirth?: string; phone?: string; address?: string }[];
  supplements?: unknown[];
}

interface Page<T> {
  items: T[];
}

const SUBJECT_PHI = ['name', 'dateOfBirth', 'phone', 'address'] as const;

/** The PHI fields an incident answer disclosed (names of fields holding a value). */
export function incidentFieldsDisclosed(incident: IncidentLike): string[] {
  const fields = ['behavioralHealth'];
  if (incident.narrative !== undefined) fields.push('narrative');
  if (incident.location?.address !== undefined) fields.push('location.address');
  for (const f of SUBJECT_PHI) if (incident.subjects?.some((s) => s[f] !== undefined)) fields.push(`subjects.${f}`);
  if ((incident.supplements?.length ?? 0) > 0) fields.push('supplements.narrative');
  return fields;
}

const personIdsOf = (incident: IncidentLike): string[] =>
  (incident.subjects ?? []).flatMap((s) => (s.personId ? [s.personId] : []));

const param = (req: AuditHttpRequest, name: string): string => String(req.params[name] ?? '');

/** The district the normal-scope rule compares with the caller's assigned districts. */
export const incidentDistrict = (incident: IncidentLike): string | undefined => incident.location?.district;

/** GET /v1/incidents/{id}: the incident, its persons and the PHI fields shown. */
export function incidentRead(incident: IncidentLike): AuditEntryInput[] {
  return [
    {
      action: 'read',
      recordType: 'incident',
      recordId: incident.id,
      personIds: personIdsOf(incident),
      fields: incidentFieldsDisclosed(incident),
    },
  ];
}

/** A stored incident as the create path holds it (PHI as ciphertext or null). */
interface StoredIncidentLike {
  id: string;
  narrative: string | null;
  locationAddress: string | null;
  subjects: {
    personId: string | null;
    name: string;
    dateOfBirth: string | null;
    phone: string | null;
    address: string | null;
  }[];
}

/** The entry of a newly created incident, appended by the create service in the transaction that stores it. */
export function incidentCreatedEntries(record: StoredIncidentLike): AuditEntryInput[] {
  const fields = ['behavioralHealth'];
  if (record.narrative !== null) fields.push('narrative');
  if (record.locationAddress !== null) fields.push('location.address');
  for (const f of SUBJECT_PHI) if (record.subjects.some((s) => s[f] !== null)) fields.push(`subjects.${f}`);
  const personIds = record.subjects.flatMap((s) => (s.personId ? [s.personId] : []));
  return [{ action: 'create', recordType: 'incident', recordId: record.id, personIds, fields }];
}

/** POST /v1/incidents answered with an incident that already existed (200): a read; a creation (201) was recorded by the service. */
export function incidentReplayRead(incident: IncidentLike, req: AuditHttpRequest): AuditEntryInput[] {
  if (req.statusCode !== 200) return [];
  return [
    {
      action: 'read',
      recordType: 'incident',
      recordId: incident.id,
      personIds: personIdsOf(incident),
      fields: incidentFieldsDisclosed(incident),
    },
  ];
}

/** One committed import batch that stored incidents, appended by the batch writer in that batch's transaction. */
export function importBatchEntries(importId: string, incidentsStored: number): AuditEntryInput[] {
  return incidentsStored > 0
    ? [{ action: 'import', recordType: 'import', recordId: importId, fields: ['incidents'] }]
    : [];
}

/** GET /v1/incidents and POST /v1/incidents/search: one entry per listed incident (codes, no identity); a search names the identity fields it matched on. */
export function incidentsListed(page: Page<{ id: string }>, req: AuditHttpRequest): AuditEntryInput[] {
  const body = (req.method === 'POST' ? req.body : req.query) as
    | { personId?: string; subject?: Record<string, unknown> }
    | undefined;
  const searched = Object.keys(body?.subject ?? {}).map((k) => `query.subject.${k}`);
  const personIds = typeof body?.personId === 'string' ? [body.personId] : [];
  return page.items.map((i) => ({
    action: 'read' as const,
    recordType: 'incident',
    recordId: i.id,
    personIds,
    fields: ['behavioralHealth', ...searched],
  }));
}

/** PATCH /v1/incidents/{id}: the corrected fields (subject fields as subjects.<field>). */
export function incidentCorrected(req: AuditHttpRequest): AuditEntryInput[] {
  const changes = ((req.body as { changes?: Record<string, unknown> } | undefined)?.changes ?? {}) as Record<
    string,
    unknown
  >;
  const fields = Object.keys(changes).flatMap((k) =>
    k === 'subjects' && Array.isArray(changes.subjects)
      ? [
          ...new Set(
            (changes.subjects as Record<string, unknown>[]).flatMap((s) =>
              Object.keys(s ?? {})
                .filter((f) => f !== 'id')
                .map((f) => `subjects.${f}`),
            ),
          ),
        ]
      : [k],
  );
  if (typeof (req.body as { reason?: { note?: unknown } } | undefined)?.reason?.note === 'string')
    fields.push('reason.note');
  return [{ action: 'update', recordType: 'incident', recordId: param(req, 'id'), fields }];
}

/** POST /v1/incidents/{id}/supplements. */
export function supplementAppended(req: AuditHttpRequest): AuditEntryInput[] {
  return [{ action: 'update', recordType: 'incident', recordId: param(req, 'id'), fields: ['supplements.narrative'] }];
}

/** PUT /v1/incidents/{id}/indicators: the behavioral-health coding is health information. */
export function incidentReclassified(req: AuditHttpRequest): AuditEntryInput[] {
  return [{ action: 'update', recordType: 'incident', recordId: param(req, 'id'), fields: ['behavioralHealth'] }];
}

/** GET /v1/persons/{id}/incidents: the person's repeat contacts. */
export function personIncidentsListed(page: Page<{ id: string }>, req: AuditHttpRequest): AuditEntryInput[] {
  const personId = param(req, 'id');
  return page.items.map((i) => ({
    action: 'read' as const,
    recordType: 'incident',
    recordId: i.id,
    personIds: [personId],
    fields: ['behavioralHealth'],
  }));
}

/** POST /v1/persons/{id}/merge: both persons. */
export function personsMerged(req: AuditHttpRequest): AuditEntryInput[] {
  const into = (req.body as { intoPersonId?: unknown } | undefined)?.intoPersonId;
  const personIds = [
    param(req, 'id'),
    ...(typeof into === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(into) ? [into] : []),
  ];
  return [
    { action: 'merge', recordType: 'person', recordId: param(req, 'id'), personIds, fields: ['subjects.personId'] },
  ];
}

/** POST /v1/persons/merges/{mergeId}/undo. */
export function personMergeUndone(req: AuditHttpRequest): AuditEntryInput[] {
  return [
    { action: 'unmerge', recordType: 'person-merge', recordId: param(req, 'mergeId'), fields: ['subjects.personId'] },
  ];
}

/** GET /v1/review-queue: screening reasons of each listed item (about its incident). */
export function reviewItemsListed(
  page: Page<{ id: string; incidentId: string; decisionReason?: string | null }>,
): AuditEntryInput[] {
  return page.items.map((i) => ({
    action: 'read' as const,
    recordType: 'review-item',
    recordId: i.id,
    fields: ['reasons', ...(i.decisionReason ? ['decisionReason'] : [])],
  }));
}

/** POST /v1/review-queue/{itemId}/accept|dismiss: the decision (accept re-flags the incident). */
export function reviewItemDecided(req: AuditHttpRequest): AuditEntryInput[] {
  const accepted = req.path.endsWith('/accept');
  return [
    {
      action: 'decide',
      recordType: 'review-item',
      recordId: param(req, 'itemId'),
      fields: ['decisionReason', ...(accepted ? ['incident.behavioralHealth'] : [])],
    },
  ];
}

/** GET /v1/imports/{id}: the error report (lines and fields, no values). */
export function importRead(_result: unknown, req: AuditHttpRequest): AuditEntryInput[] {
  return [{ action: 'read', recordType: 'import', recordId: param(req, 'id'), fields: ['errors'] }];
}
