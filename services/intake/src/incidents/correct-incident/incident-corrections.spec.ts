import { correctIncidentRequestSchema } from './correct-incident.request';
import type { IntakePhiPlace } from '../phi-places';
import { incidentColumnUpdates } from './incident-corrections';

const places: IntakePhiPlace[] = [];
const phi = {
  encrypt: (v: string, place: IntakePhiPlace) => {
    places.push(place);
    return `enc:v2:test:${Buffer.from(v).toString('base64url')}`;
  },
};

describe('incident corrections', () => {
  it('encrypts PHI fields bound to their column of the incident row and reports field names only', () => {
    const { updates, fields } = incidentColumnUpdates(
      'inc_1',
      {
        locationAddress: '12 Elm St',
        narrative: 'he said he would hurt himself',
        district: 'sector-2',
        occurredAt: '2026-11-27T02:14:00Z',
      },
      phi,
    );
    expect(fields.sort()).toEqual(['district', 'locationAddress', 'narrative', 'occurredAt']);
    expect(updates.narrative).toMatch(/^enc:v2:/);
    expect(places.map((p) => [p.table, p.column, p.rowId])).toEqual([
      ['incident', 'location_address', 'inc_1'],
      ['incident', 'narrative', 'inc_1'],
    ]);
    expect(updates.district).toBe('sector-2');
    expect(updates.occurredAt).toEqual(new Date('2026-11-27T02:14:00Z'));
    expect(JSON.stringify(fields)).not.toContain('hurt');
  });

  it('requires a reason and at least one change', () => {
    expect(correctIncidentRequestSchema.safeParse({ changes: { district: 'x' } }).success).toBe(false);
    const empty = correctIncidentRequestSchema.safeParse({ changes: {}, reason: { code: 'other' } });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0].path).toEqual(['changes']);
  });

  it('rejects unknown fields in subject corrections', () => {
    const r = correctIncidentRequestSchema.safeParse({
      changes: { subjects: [{ id: 'sub_1', favouriteColour: 'red' }] },
      reason: { code: 'data-entry-error' },
    });
    expect(r.success).toBe(false);
  });
});
