import type { AgeRange, RiskLevel, Sector, TriageNeed, TriagePathway } from '@cit/contracts';
import { modelEffects, reviewReasonFor, type ProgramSettings } from '../../program/program-settings';
import { evaluate, type FiredRule } from '../../rulesets/domain/rule-engine';
import type { ConsultationReason, Ruleset } from '../../rulesets/domain/ruleset';
import { ageRangeOf, triageFacts, type TriageIncident } from '../../rulesets/domain/triage-facts';

/** What triage decides for one incident, before it is stored (dry-run shows exactly this). */
export interface DecisionOutcome {
  riskLevel: RiskLevel;
  needs: TriageNeed[];
  pathways: TriagePathway[];
  sector: Sector | null;
  ageRange: AgeRange;
  language: string | null;
  area: string | null;
  imminentThreat164512j: boolean;
  consultationReasons: ConsultationReason[];
  crisisPlanOnFile: boolean;
  /** Why it waits for a supervisor, or null when it is emitted at once. */
  reviewReason: 'policy' | 'consultation-required' | null;
  /** The decision asks for follow-up: a care-coordination case opens or is joined. */
  needsFollowUp: boolean;
  fired: FiredRule[];
}

export interface DecisionInputs {
  incident: TriageIncident;
  settings: ProgramSettings;
  ruleset: Ruleset;
  crisisPlanOnFile: boolean;
  repeatContactRuleMet: boolean;
}

export function decide({
  incident,
  settings,
  ruleset,
  crisisPlanOnFile,
  repeatContactRuleMet,
}: DecisionInputs): DecisionOutcome {
  const effects = modelEffects(settings.model);
  const facts = triageFacts(incident, { crisisPlanOnFile, repeatContactRuleMet, programModel: settings.model });
  const e = evaluate(ruleset, facts, effects);
  const consultationRequired = e.consultationReasons.length > 0;
  return {
    riskLevel: e.riskLevel,
    needs: e.needs,
    pathways: e.pathways,
    sector: e.sector,
    ageRange: ageRangeOf(incident),
    language: facts.language,
    area: facts.district,
    imminentThreat164512j: e.imminentThreat164512j,
    consultationReasons: e.consultationReasons,
    crisisPlanOnFile,
    reviewReason: reviewReasonFor(settings, { riskLevel: e.riskLevel, consultationRequired }),
    needsFollowUp: !e.pathways.includes('no-further-action') && facts.personKnown,
    fired: e.fired,
  };
}
