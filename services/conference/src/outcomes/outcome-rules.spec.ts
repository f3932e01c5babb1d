import { outcomeFieldErrors } from './outcome-rules';
import { recordOutcomeRequestSchema, type RecordOutcomeRequest } from './record-outcome/record-outcome.request';

const NOW = new Date('2026-12-02T12:00:00Z');
const selected = new Set(['lead', 'assist', 'other']);
const req = (over: Partial<RecordOutcomeRequest>): RecordOutcomeRequest => ({
  status: 'carry-over',
  leadAgencyId: 'lead',
  assistingAgencyIds: [],
  actionItems: [],
  ...over,
});
const item = (ownerAgencyId: string, dueAt = '2026-12-09T17:00:00-05:00') => ({
  ownerAgencyId,
  kind: 'home-visit' as const,
  description: 'visit',
  dueAt,
});
const fields = (r: RecordOutcomeRequest) => outcomeFieldErrors(r, selected, NOW).map((e) => e.field);

describe('outcomeFieldErrors', () => {
  it.each<[string, RecordOutcomeRequest, string[]]>([
    [
      'a lead and assisting agencies the table selected, items owned by them',
      req({ assistingAgencyIds: ['assist'], actionItems: [item('lead'), item('assist')] }),
      [],
    ],
    ['a lead the table did not select', req({ leadAgencyId: 'stranger' }), ['leadAgencyId']],
    [
      'an assisting agency the table did not select',
      req({ assistingAgencyIds: ['assist', 'stranger'] }),
      ['assistingAgencyIds.1'],
    ],
    ['the lead listed as assisting too', req({ assistingAgencyIds: ['lead'] }), ['assistingAgencyIds.0']],
    [
      'an item owned by a selected agency that is not planning',
      req({ actionItems: [item('other')] }),
      ['actionItems.0.ownerAgencyId'],
    ],
    [
      'an item owned by an invalid assisting agency',
      req({ assistingAgencyIds: ['stranger'], actionItems: [item('stranger')] }),
      ['assistingAgencyIds.0', 'actionItems.0.ownerAgencyId'],
    ],
    ['an item due in the past', req({ actionItems: [item('lead', '2026-12-01T00:00:00Z')] }), ['actionItems.0.dueAt']],
  ])('%s', (_name, r, expected) => expect(fields(r)).toEqual(expected));
});

describe('recordOutcomeRequestSchema', () => {
  it('defaults the lists and refuses a repeated assisting agency or an unknown status', () => {
    expect(recordOutcomeRequestSchema.parse({ status: 'refused', leadAgencyId: 'lead' })).toEqual({
      status: 'refused',
      leadAgencyId: 'lead',
      assistingAgencyIds: [],
      actionItems: [],
    });
    expect(
      recordOutcomeRequestSchema.safeParse({ status: 'refused', leadAgencyId: 'a', assistingAgencyIds: ['b', 'b'] })
        .success,
    ).toBe(false);
    expect(recordOutcomeRequestSchema.safeParse({ status: 'closed', leadAgencyId: 'a' }).success).toBe(false);
  });
});
