import { createIncidentExample } from '@cit/contracts';
import {
  csvFieldOf,
  csvHeaderIssues,
  csvRowToRequestInput,
  groupIssues,
  normalizeCsvHeader,
  validateImportRow,
  CSV_COLUMNS,
} from './import-row';

const row = (over: Record<string, unknown> = {}) => ({
  ...createIncidentExample,
  externalIds: { cadCallNumber: 'CAD-1' },
  ...over,
});

describe('import rows', () => {
  it('accepts a create-incident request with a CAD number', () => {
    const r = validateImportRow(row());
    expect(r.ok).toBe(true);
  });

  it('rejects a row without any external id: field externalIds', () => {
    const r = validateImportRow(row({ externalIds: {} }));
    expect(r).toEqual({ ok: false, issues: [{ field: 'externalIds', reason: expect.stringContaining('required') }] });
  });

  it('names fields and rules, never the values', () => {
    const secret = 'Zebediah Quux';
    const r = validateImportRow(
      row({
        encounter: 'maybe',
        subjects: [{ name: secret, dateOfBirth: '19-19-19', phone: `call ${secret}`, flags: {} }],
        [`${secret} key`]: 1,
        extra: 2,
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const fields = r.issues.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining(['encounter', 'subjects.0.dateOfBirth', 'subjects.0.phone', 'extra', '(row)']),
    );
    const text = JSON.stringify(r.issues);
    expect(text).not.toContain('Zebediah');
    expect(text).not.toContain('19-19-19');
    expect(text).not.toContain('maybe');
  });

  it('groups a line’s issues by rule so every field survives the (import, line, reason) key', () => {
    expect(
      groupIssues([
        { field: 'a', reason: 'Required' },
        { field: 'b', reason: 'Required' },
        { field: 'c', reason: 'Too big' },
      ]),
    ).toEqual([
      { field: 'a, b', reason: 'Required' },
      { field: 'c', reason: 'Too big' },
    ]);
  });
});

describe('CSV rows', () => {
  const header = [...CSV_COLUMNS];
  const cells: Record<string, string> = {
    cad_call_number: 'CAD-9',
    occurred_at: '2023-05-01T10:00:00Z',
    call_type: 'welfare-check',
    encounter: 'non-criminal',
    address: '1 Main St',
    latitude: '42.1',
    longitude: '-71.2',
    bh_related_to: 'both',
    bh_observations: 'intoxication; trauma',
    suspected_using: 'A;D',
    narrative: 'Said things',
    reporting_officer_id: 'officer-1',
    subject_name: 'Pat Doe',
    subject_dob: '1980-02-03',
    subject_phone: '617-555-0100',
    subject_flags: 'veteran;experiencing-homelessness',
  };
  const fields = (over: Record<string, string> = {}) => header.map((h) => ({ ...cells, ...over })[h] ?? '');

  it('maps flat columns to the create-incident request', () => {
    const r = validateImportRow(csvRowToRequestInput(header, fields()), csvFieldOf);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request).toMatchObject({
      externalIds: { cadCallNumber: 'CAD-9' },
      location: { address: '1 Main St', latitude: 42.1, longitude: -71.2 },
      behavioralHealth: { relatedTo: 'both', observations: ['intoxication', 'trauma'], suspectedUsing: ['A', 'D'] },
      subjects: [
        {
          name: 'Pat Doe',
          dateOfBirth: '1980-02-03',
          phone: '617-555-0100',
          flags: { veteran: true, experiencingHomelessness: true },
        },
      ],
    });
    expect(r.request.receivedAt).toBeUndefined();
  });

  it('a row without a subject has no subjects', () => {
    const empty = Object.fromEntries(header.filter((h) => h.startsWith('subject_')).map((h) => [h, '']));
    const r = validateImportRow(csvRowToRequestInput(header, fields(empty)), csvFieldOf);
    expect(r.ok && r.request.subjects).toEqual([]);
  });

  it('reports problems by CSV column', () => {
    const r = validateImportRow(
      csvRowToRequestInput(
        header,
        fields({
          cad_call_number: '',
          latitude: 'north',
          bh_observations: 'trauma;dancing',
          subject_flags: 'royalty',
          occurred_at: 'tuesday',
        }),
      ),
      csvFieldOf,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.field).sort()).toEqual([
      'bh_observations',
      'latitude',
      'occurred_at',
      'subject_flags',
    ]);
    expect(JSON.stringify(r.issues)).not.toMatch(/north|dancing|royalty|tuesday/);
    const noIds = validateImportRow(csvRowToRequestInput(header, fields({ cad_call_number: '' })), csvFieldOf);
    expect(noIds).toEqual({
      ok: false,
      issues: [{ field: 'cad_call_number|rms_incident_number', reason: expect.any(String) }],
    });
  });

  it('checks the header: unknown, duplicate and missing columns', () => {
    expect(csvHeaderIssues(normalizeCsvHeader(['\uFEFFCAD_Call_Number', ...header.slice(1)]))).toEqual([]);
    expect(csvHeaderIssues(['cad_call_number', 'cad_call_number', 'shoe size', 'occurred_at'])).toEqual([
      { field: 'header.cad_call_number', reason: 'duplicate column' },
      { field: 'header.column 3', reason: 'unknown column' },
      { field: 'header.call_type', reason: 'required column missing' },
      { field: 'header.encounter', reason: 'required column missing' },
      { field: 'header.bh_related_to', reason: 'required column missing' },
      { field: 'header.reporting_officer_id', reason: 'required column missing' },
    ]);
  });
});
