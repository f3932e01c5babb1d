import type { AuditHttpRequest } from '@cit/audit';
import {
  importBatchEntries,
  incidentCorrected,
  incidentCreatedEntries,
  incidentFieldsDisclosed,
  incidentRead,
  incidentReplayRead,
  personsMerged,
} from './intake-audit';

const req = (parts: Partial<AuditHttpRequest>): AuditHttpRequest => ({
  params: {},
  body: {},
  query: {},
  method: 'GET',
  path: '/',
  headers: {},
  statusCode: 200,
  ...parts,
});

describe('intake audit entries', () => {
  it('names the PHI fields an incident answer disclosed, never their values', () => {
    const incident = {
      id: 'inc_1',
      narrative: 'Jane said…',
      location: { address: '12 Harbor St', district: 'sector-3' },
      subjects: [{ personId: 'per_1', name: 'Jane Doe', dateOfBirth: '1990-01-01' }, { name: 'Unknown' }],
      supplements: [{}],
    };
    expect(incidentFieldsDisclosed(incident)).toEqual([
      'behavioralHealth',
      'narrative',
      'location.address',
      'subjects.name',
      'subjects.dateOfBirth',
      'supplements.narrative',
    ]);
    const [entry] = incidentRead(incident);
    expect(entry).toMatchObject({ action: 'read', recordType: 'incident', recordId: 'inc_1', personIds: ['per_1'] });
    expect(JSON.stringify(entry)).not.toMatch(/Jane|Harbor|1990/);
  });

  it('names corrected fields, subject fields by name and the reason note when given', () => {
    const body = {
      changes: { narrative: 'x', subjects: [{ id: 'sub_1', phone: '617', name: 'y' }] },
      reason: { code: 'data-entry-error', note: 'n' },
    };
    expect(incidentCorrected(req({ params: { id: 'inc_1' }, body }))[0]!.fields).toEqual([
      'narrative',
      'subjects.phone',
      'subjects.name',
      'reason.note',
    ]);
  });

  it('records a creation from the stored record, and an idempotent replay (200) as a read', () => {
    const record = {
      id: 'inc_2',
      narrative: 'enc:v1:x',
      locationAddress: null,
      subjects: [{ personId: 'per_2', name: 'enc:v1:y', dateOfBirth: null, phone: 'enc:v1:z', address: null }],
    };
    expect(incidentCreatedEntries(record)).toEqual([
      {
        action: 'create',
        recordType: 'incident',
        recordId: 'inc_2',
        personIds: ['per_2'],
        fields: ['behavioralHealth', 'narrative', 'subjects.name', 'subjects.phone'],
      },
    ]);
    expect(incidentReplayRead({ id: 'inc_2' }, req({ statusCode: 201 }))).toEqual([]);
    expect(incidentReplayRead({ id: 'inc_2' }, req({ statusCode: 200 }))[0]).toMatchObject({
      action: 'read',
      recordId: 'inc_2',
    });
  });

  it('records both persons of a merge, ignoring a target id that is not an id', () => {
    expect(personsMerged(req({ params: { id: 'per_a' }, body: { intoPersonId: 'per_b' } }))[0]!.personIds).toEqual([
      'per_a',
      'per_b',
    ]);
    expect(personsMerged(req({ params: { id: 'per_a' }, body: { intoPersonId: 'Jane Doe' } }))[0]!.personIds).toEqual([
      'per_a',
    ]);
  });

  it('records an import batch only when it stored incidents', () => {
    expect(importBatchEntries('imp_1', 0)).toEqual([]);
    expect(importBatchEntries('imp_1', 3)).toEqual([
      { action: 'import', recordType: 'import', recordId: 'imp_1', fields: ['incidents'] },
    ]);
  });
});
