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
 * unless a required consultation (court involvement, open investigation) has not happened yet; otherwise none.
 */
export function routeInputFromTriage(d: TriageCompleted): RouteInput | undefined {
  const mobileCrisis = d.pathways.includes('mobile-crisis-now');
  if (!mobileCrisis && !d.pathways.includes('partner-referral')) return undefined;
  // Referrals wait for a required consultation; a decision recording it (consultedAt) goes ahead.
  if (d.consultation.required && !d.consultation.consultedAt) return undefined;
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
