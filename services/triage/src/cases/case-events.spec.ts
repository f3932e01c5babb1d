import { idSchema } from '@cit/contracts';
import { actorId } from './case-events';
import { caseFromJson } from './case.record';

describe('actorId', () => {
  it.each([
    ['coordinator-0311', 'coordinator-0311'],
    ['stf_1a2b', 'stf_1a2b'],
  ])('keeps a plain identifier: %s', (subject, expected) => {
    expect(actorId(subject)).toBe(expected);
  });

  it.each(['auth0|5f7c8ec7c33c6c004bbafe82', 'jane.doe@example.org x', 'a'.repeat(300), 'Ü-user'])(
    'digests a subject events may not carry: %s',
    (subject) => {
      const id = actorId(subject);
      expect(id).toMatch(/^sub:[0-9a-f]{32}$/);
      expect(idSchema.safeParse(id).success).toBe(true);
      expect(actorId(subject)).toBe(id);
    },
  );
});

describe('caseFromJson', () => {
  it('reads a to_jsonb row (timestamps as text) like a driver row', () => {
    const c = caseFromJson({
      id: 'case_1',
      department_id: 'd',
      person_id: 'per_1',
      status: 'open',
      source: 'triage',
      risk_level: 'urgent',
      needs: ['housing'],
      pathway: null,
      assigned_to: null,
      cadence: ['PT24H'],
      opened_at: '2026-12-02T02:10:00.123456+00:00',
      opened_by: 'triage',
      updated_at: '2026-12-02T02:11:00+00:00',
      last_contact_at: null,
      closed_at: null,
      closed_by: null,
      transferred_to_agency_id: null,
      version: 3,
    });
    expect(c).toMatchObject({ id: 'case_1', status: 'open', riskLevel: 'urgent', needs: ['housing'], version: 3 });
    expect(c.openedAt.toISOString()).toBe('2026-12-02T02:10:00.123Z');
    expect(c.lastContactAt).toBeNull();
  });
});
