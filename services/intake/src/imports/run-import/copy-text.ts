import type { IncidentRecord } from '../../incidents/incident.mapper';

/**
 * Rows of the bulk import in PostgreSQL's COPY text format (tab-separated, \N for NULL,
 * backslash escapes), written by the preparation workers and streamed into the staging tables.
 * https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2
 */

/** Columns of import_stage_incident as the workers write them (and as the merge reads them). */
export const INCIDENT_COPY_COLUMNS = [
  'id',
  'department_id',
  'cad_call_number',
  'rms_incident_number',
  'occurred_at',
  'received_at',
  'call_type',
  'disposition',
  'encounter',
  'district',
  'location_address',
  'latitude',
  'longitude',
  'bh_related_to',
  'bh_observations',
  'bh_suspected_using',
  'narrative',
  'reporting_officer_id',
  'source',
  'version',
  'created_by',
  'created_at',
  'updated_at',
] as const;

/** Columns of import_stage_subject; person_id comes last, appended once matching has decided it. */
export const SUBJECT_COPY_COLUMNS = [
  'id',
  'incident_id',
  'department_id',
  'ordinal',
  'name',
  'date_of_birth',
  'phone',
  'address',
  'language',
  'juvenile',
  'senior',
  'veteran',
  'experiencing_homelessness',
  'person_match_index',
  'person_phone_index',
  'person_id',
] as const;

const SPECIAL = /[\\\t\n\r]/;

/** One field in COPY text: NULL as \N; backslash, tab, newline and carriage return escaped. */
export function copyField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('copyField: not a finite number');
    return String(value);
  }
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** A text[] of codes as an array literal, each element quoted (codes are validated, but quoting keeps any value intact). */
export function copyTextArray(values: readonly string[]): string {
  return copyField(`{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`);
}

/** The staging line of an incident (with its newline). */
export function incidentCopyLine(r: IncidentRecord): string {
  return (
    [
      copyField(r.id),
      copyField(r.departmentId),
      copyField(r.cadCallNumber),
      copyField(r.rmsIncidentNumber),
      copyField(r.occurredAt.toISOString()),
      copyField(r.receivedAt.toISOString()),
      copyField(r.callType),
      copyField(r.disposition),
      copyField(r.encounter),
      copyField(r.district),
      copyField(r.locationAddress),
      copyField(r.latitude),
      copyField(r.longitude),
      copyField(r.bhRelatedTo),
      copyTextArray(r.bhObservations),
      copyTextArray(r.bhSuspectedUsing),
      copyField(r.narrative),
      copyField(r.reportingOfficerId),
      copyField(r.source),
      copyField(r.version),
      copyField(r.createdBy),
      copyField(r.createdAt.toISOString()),
      copyField(r.updatedAt.toISOString()),
    ].join('\t') + '\n'
  );
}

/** The staging line of a subject without its person_id (and without the newline): matching completes it. */
export function subjectCopyPrefix(s: IncidentRecord['subjects'][number]): string {
  return [
    copyField(s.id),
    copyField(s.incidentId),
    copyField(s.departmentId),
    copyField(s.ordinal),
    copyField(s.name),
    copyField(s.dateOfBirth),
    copyField(s.phone),
    copyField(s.address),
    copyField(s.language),
    copyField(s.juvenile),
    copyField(s.senior),
    copyField(s.veteran),
    copyField(s.experiencingHomelessness),
    copyField(s.personMatchIndex),
    copyField(s.personPhoneIndex),
  ].join('\t');
}

/** Completes a subject line with the person matching chose. */
export const subjectCopyLine = (prefix: string, personId: string | null): string =>
  `${prefix}\t${copyField(personId)}\n`;
