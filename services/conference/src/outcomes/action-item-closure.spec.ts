import { conferenceActionItemClosedData } from '@cit/contracts';
import { actionItemClosedEvent, type ClosedActionItemRow } from './action-item-closure';

describe('action item closed event', () => {
  const row: ClosedActionItemRow = {
    id: 'act_1',
    outcome_id: 'out_1',
    session_id: 'ses_1',
    nomination_id: 'nom_1',
    case_id: 'case_1',
    owner_agency_id: 'metro-mobile-crisis',
    closed_at: new Date('2026-12-03T20:20:00.000Z'),
  };
  const ctx = { departmentId: 'dept-a', correlationId: 'cor-1' };

  it('is keyed by the session that created the item, as its outcome-recorded event was', () => {
    const event = actionItemClosedEvent(row, 'completed', ctx);
    expect(event.type).toBe('cit.conference.action-item-closed.v1');
    expect(event.subject).toBe('ses_1');
    expect(event.departmentid).toBe('dept-a');
  });

  it('carries ids, the resolution and the time only, valid against the contract', () => {
    const event = actionItemClosedEvent(row, 'cancelled', ctx);
    expect(event.data).toEqual({
      sessionId: 'ses_1',
      actionItemId: 'act_1',
      outcomeId: 'out_1',
      nominationId: 'nom_1',
      caseId: 'case_1',
      ownerAgencyId: 'metro-mobile-crisis',
      resolution: 'cancelled',
      closedAt: '2026-12-03T20:20:00.000Z',
    });
    expect(conferenceActionItemClosedData.safeParse(event.data).success).toBe(true);
  });
});
