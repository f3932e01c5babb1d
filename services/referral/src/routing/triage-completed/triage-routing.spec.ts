import { triageCompleted, type TriageCompleted } from '@cit/contracts';
import { routeInputFromTriage } from './triage-routing';

const base = triageCompleted.example as TriageCompleted;

describe('which triage decisions are routed', () => {
  it.each([
    [
      'mobile crisis now: emergent, crisis programs only',
      { pathways: ['mobile-crisis-now'] },
      { urgency: 'emergent', kinds: ['mobile-crisis', 'emergency-service-provider'] },
    ],
    [
      'partner referral, urgent risk',
      { pathways: ['partner-referral'], riskLevel: 'urgent' },
      { urgency: 'urgent', kinds: [] },
    ],
    [
      'partner referral, no risk: routine',
      { pathways: ['partner-referral'], riskLevel: 'none' },
      { urgency: 'routine' },
    ],
    ['clinician outreach only: not routed', { pathways: ['clinician-outreach'] }, undefined],
    [
      'consultation required first: not routed',
      { pathways: ['partner-referral'], consultation: { required: true, reasons: ['court-involved'] } },
      undefined,
    ],
    [
      'consultation recorded: routed',
      {
        pathways: ['partner-referral'],
        riskLevel: 'urgent',
        consultation: {
          required: true,
          reasons: ['court-involved'],
          consultedBy: 'supervisor-1',
          consultedAt: '2026-12-02T10:00:00Z',
        },
      },
      { urgency: 'urgent' },
    ],
  ] as const)('%s', (_name, over, expected) => {
    const input = routeInputFromTriage({ ...base, ...over } as unknown as TriageCompleted);
    if (expected === undefined) expect(input).toBeUndefined();
    else
      expect(input).toMatchObject({
        ...expected,
        triageId: base.triageId,
        imminentThreatFlag: base.legalBasis.imminentThreat164512j,
        packet: {},
      });
  });
});
