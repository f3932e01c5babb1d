import { riskLevelSchema } from '@cit/contracts';
import type { CaseRecord, RiskLevel } from '../case.record';

/** Risk levels from lowest to highest, as the contract lists them. */
const RISK_ORDER: readonly RiskLevel[] = riskLevelSchema.options;

/** The higher of two risk levels. */
export function higherRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RISK_ORDER.indexOf(b) > RISK_ORDER.indexOf(a) ? b : a;
}

/**
 * What a repeat contact's decision changes on the person's active case: the risk rises to the
 * new decision's if higher (never falls: a quieter contact does not undo an earlier alarm) and
 * the needs are the union.
 */
export function joinDecision(
  c: Pick<CaseRecord, 'riskLevel' | 'needs'>,
  decision: { riskLevel: RiskLevel; needs: readonly string[] },
): { riskLevel: RiskLevel; needs: string[]; changedFields: string[] } {
  const riskLevel = higherRisk(c.riskLevel, decision.riskLevel);
  const needs = [...new Set([...c.needs, ...decision.needs])].sort();
  const changedFields: string[] = [];
  if (riskLevel !== c.riskLevel) changedFields.push('riskLevel');
  if (needs.length !== c.needs.length) changedFields.push('needs');
  return { riskLevel, needs, changedFields };
}
