// Which triage decisions become referrals, and with what. Plain TypeScript.
import type { TriageCompleted } from '@cit/contracts';
import type { RouteInput } from '../../referrals/referral-workflow.service';
import type { Urgency } from '../../sla/sla';

const URGENCY: Record<TriageCompleted['riskLevel'], Urgency> = {
  imminent: 'emergent',
  urgent: 'urgent',
  routine: 'routine',
  none: 'routine',
};

/**
 * A route request for a decision whose pathways include a partner referral or mobile crisis now,
 * unless a consultation must happen first (court involvement, open investigation); otherwise none.
 */
export function routeInputFromTriage(d: TriageCompleted): RouteInput | undefined {
  const mobileCrisis = d.pathways.includes('mobile-crisis-now');
  if (!mobileCrisis && !d.pathways.includes('partner-referral')) return undefined;
  if (d.consultation.required) return undefined;
  return {
    triageId: d.triageId,
    personId: d.personId,
    caseId: d.caseId,
    needs: d.needs,
    kinds: mobileCrisis ? ['mobile-crisis', 'emergency-service-provider'] : [],
    urgency: mobileCrisis ? 'emergent' : URGENCY[d.riskLevel],
    riskLevel: d.riskLevel,
    language: d.language,
    ageRange: d.ageRange,
    area: d.area,
    imminentThreatFlag: d.legalBasis.imminentThreat164512j,
    packet: {},
  };
}
