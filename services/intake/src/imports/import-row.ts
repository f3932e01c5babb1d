import { createIncidentRequestSchema, type CreateIncidentRequest } from '@cit/contracts';
import { z } from 'zod';

/**
 * Rows of a bulk RMS import: NDJSON rows are create-incident requests; CSV rows are flat
 * columns mapped to that same request. Problems are reported as field + rule, never with
 * the value (rows carry PHI).
 */

/** One problem of a row. `field` names the request path (NDJSON) or the CSV column. */
export interface RowIssue {
  field: string;
  reason: string;
}

export type RowResult = { ok: true; request: CreateIncidentRequest } | { ok: false; issues: RowIssue[] };

/** An NDJSON row: a create-incident request; it must carry a CAD call or RMS incident number (import dedupe key). */
export const importRowSchema = createIncidentRequestSchema;

/** Flat CSV columns; lists are semicolon-separated. */
export const CSV_COLUMNS = [
  'cad_call_number',
  'rms_incident_number',
  'occurred_at',
  'received_at',
  'call_type',
  'disposition',
  'encounter',
  'district',
  'address',
  'latitude',
  'longitude',
  'bh_related_to',
  'bh_observations',
  'suspected_using',
  'narrative',
  'reporting_officer_id',
  'subject_name',
  'subject_dob',
  'subject_phone',
  'subject_address',
  'subject_language',
  'subject_flags',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

const REQUIRED_CSV_COLUMNS: CsvColumn[] = [
  'occurred_at',
  'call_type',
  'encounter',
  'bh_related_to',
  'reporting_officer_id',
];
const MAX_ISSUES_PER_ROW = 20;
const SAFE_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/** Header problems that make a CSV file unusable as a whole (column names are not PHI). */
export function csvHeaderIssues(header: string[]): RowIssue[] {
  const issues: RowIssue[] = [];
  const known = new Set<string>(CSV_COLUMNS);
  const seen = new Set<string>();
  header.forEach((name, i) => {
    const label = SAFE_KEY.test(name) ? name : `column ${i + 1}`;
    if (!known.has(name)) issues.push({ field: `header.${label}`, reason: 'unknown column' });
    else if (seen.has(name)) issues.push({ field: `header.${label}`, reason: 'duplicate column' });
    seen.add(name);
  });
  for (const col of REQUIRED_CSV_COLUMNS)
    if (!seen.has(col)) issues.push({ field: `header.${col}`, reason: 'required column missing' });
  if (!seen.has('cad_call_number') && !seen.has('rms_incident_number')) {
    issues.push({ field: 'header.cad_call_number', reason: 'cad_call_number or rms_incident_number column required' });
  }
  return issues;
}

/** Header cells as column names: trimmed, lower-case, without a UTF-8 byte-order mark. */
export function normalizeCsvHeader(fields: string[]): string[] {
  return fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim().toLowerCase());
}

const list = (v: string | undefined): string[] | undefined =>
  v === undefined
    ? undefined
    : v
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean);

const FLAG_NAMES: Record<string, string> = {
  juvenile: 'juvenile',
  senior: 'senior',
  veteran: 'veteran',
  'experiencing-homelessness': 'experiencingHomelessness',
  experiencinghomelessness: 'experiencingHomelessness',
  homeless: 'experiencingHomelessness',
};

/** A CSV record (values by column) as the create-incident request input it stands for; empty cells are absent. */
export function csvRowToRequestInput(header: readonly string[], fields: readonly string[]): Record<string, unknown> {
  const v: Partial<Record<CsvColumn, string>> = {};
  header.forEach((col, i) => {
    const cell = fields[i]?.trim();
    if (cell) v[col as CsvColumn] = cell;
  });
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const hasSubject =
    v.subject_name || v.subject_dob || v.subject_phone || v.subject_address || v.subject_language || v.subject_flags;
  const flags: Record<string, boolean> = {};
  for (const f of list(v.subject_flags) ?? []) flags[FLAG_NAMES[f.toLowerCase()] ?? f] = true;
  return {
    externalIds: { cadCallNumber: v.cad_call_number, rmsIncidentNumber: v.rms_incident_number },
    occurredAt: v.occurred_at,
    receivedAt: v.received_at,
    location: { address: v.address, latitude: num(v.latitude), longitude: num(v.longitude), district: v.district },
    callType: v.call_type,
    disposition: v.disposition,
    encounter: v.encounter,
    narrative: v.narrative,
    reportingOfficerId: v.reporting_officer_id,
    behavioralHealth: {
      relatedTo: v.bh_related_to,
      observations: list(v.bh_observations) ?? [],
      suspectedUsing: list(v.suspected_using) ?? [],
    },
    subjects: hasSubject
      ? [
          {
            name: v.subject_name,
            dateOfBirth: v.subject_dob,
            phone: v.subject_phone,
            address: v.subject_address,
            language: v.subject_language,
            flags,
          },
        ]
      : [],
  };
}

const CSV_FIELD_BY_PATH: Record<string, CsvColumn> = {
  'externalIds.cadCallNumber': 'cad_call_number',
  'externalIds.rmsIncidentNumber': 'rms_incident_number',
  externalIds: 'cad_call_number',
  occurredAt: 'occurred_at',
  receivedAt: 'received_at',
  'location.address': 'address',
  'location.latitude': 'latitude',
  'location.longitude': 'longitude',
  'location.district': 'district',
  callType: 'call_type',
  disposition: 'disposition',
  encounter: 'encounter',
  narrative: 'narrative',
  reportingOfficerId: 'reporting_officer_id',
  'behavioralHealth.relatedTo': 'bh_related_to',
  'behavioralHealth.observations': 'bh_observations',
  'behavioralHealth.suspectedUsing': 'suspected_using',
  'subjects.0.name': 'subject_name',
  'subjects.0.dateOfBirth': 'subject_dob',
  'subjects.0.phone': 'subject_phone',
  'subjects.0.address': 'subject_address',
  'subjects.0.language': 'subject_language',
  'subjects.0.flags': 'subject_flags',
};

/** The CSV column a request path came from (list elements and flags map to their list column). */
export function csvFieldOf(path: string): string {
  if (path === 'externalIds') return 'cad_call_number|rms_incident_number';
  const trimmed = path.replace(/\.\d+$/, '').replace(/^(subjects\.0\.flags)\..*$/, '$1');
  return CSV_FIELD_BY_PATH[trimmed] ?? CSV_FIELD_BY_PATH[path] ?? '(row)';
}

/** zod issues as row issues. Key names of unknown fields come from the input: shown only if they look like identifiers. */
export function issuesFromZod(error: z.ZodError, fieldOf: (path: string) => string = (p) => p): RowIssue[] {
  const out: RowIssue[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({
          field: fieldOf(SAFE_KEY.test(key) ? (base ? `${base}.${key}` : key) : base || '(row)'),
          reason: 'unknown field',
        });
    } else {
      // zod's built-in messages name types, sizes and allowed options, never the input value.
      out.push({ field: fieldOf(base || '(row)'), reason: issue.message });
    }
  }
  return out;
}

/** Checks a parsed value as an import row: the create-incident schema plus an external id (the dedupe key). */
export function validateImportRow(value: unknown, fieldOf: (path: string) => string = (p) => p): RowResult {
  const parsed = importRowSchema.safeParse(value);
  if (!parsed.success) return { ok: false, issues: cap(issuesFromZod(parsed.error, fieldOf)) };
  const req = parsed.data;
  const issues: RowIssue[] = [];
  if (!req.externalIds.cadCallNumber && !req.externalIds.rmsIncidentNumber) {
    issues.push({
      field: fieldOf('externalIds'),
      reason: 'a CAD call number or RMS incident number is required to import',
    });
  }
  return issues.length ? { ok: false, issues } : { ok: true, request: req };
}

function cap(issues: RowIssue[]): RowIssue[] {
  return issues.length > MAX_ISSUES_PER_ROW
    ? [
        ...issues.slice(0, MAX_ISSUES_PER_ROW - 1),
        { field: '(row)', reason: `more than ${MAX_ISSUES_PER_ROW - 1} problems` },
      ]
    : issues;
}

/**
 * Issues of one line as stored rows: one per distinct reason, its fields joined, so the
 * report keeps every field even where several share a rule (import_row_error is keyed by
 * import, line and reason).
 */
export function groupIssues(issues: readonly RowIssue[]): RowIssue[] {
  const byReason = new Map<string, string[]>();
  for (const i of issues) {
    const fields = byReason.get(i.reason) ?? [];
    if (!fields.includes(i.field)) fields.push(i.field);
    byReason.set(i.reason, fields);
  }
  return [...byReason].map(([reason, fields]) => ({ field: fields.join(', '), reason }));
}
