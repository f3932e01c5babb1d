import {
  riskLevelSchema,
  triageNeedSchema,
  triagePathwaySchema,
  type RiskLevel,
  type Sector,
  type TriageNeed,
  type TriagePathway,
} from '@cit/contracts';
import type { Condition, ConsultationReason, Rule, Ruleset, Scalar } from './ruleset';
import type { TriageFacts } from './triage-facts';

/** One rule (or platform policy) that fired, and why, in words built from the facts it matched. */
export interface FiredRule {
  ruleId: string;
  /** Where the rule sits in its ruleset (`rules.4`), or `policy` for a platform rule every ruleset gets. */
  path: string;
  why: string;
}

export interface Evaluation {
  riskLevel: RiskLevel;
  needs: TriageNeed[];
  pathways: TriagePathway[];
  sector: Sector | null;
  consultationReasons: ConsultationReason[];
  imminentThreat164512j: boolean;
  fired: FiredRule[];
}

/** What the department's program model changes in a decision. */
export interface EvaluationOptions {
  followUpPathway: 'clinician-outreach' | 'co-responder-follow-up';
  assignsSectors: boolean;
}

const RISK_ORDER = riskLevelSchema.options;
const PATHWAY_ORDER = triagePathwaySchema.options;
const NEED_ORDER = triageNeedSchema.options;

const show = (v: Scalar | null | readonly string[]) =>
  Array.isArray(v) ? `[${v.join(', ')}]` : v === null ? 'none' : String(v);

/** Evaluates a condition; `why` explains a match (undefined when it does not match). */
export function explain(c: Condition, facts: TriageFacts): string | undefined {
  if ('all' in c) {
    const parts: string[] = [];
    for (const child of c.all) {
      const why = explain(child, facts);
      if (why === undefined) return undefined;
      parts.push(why);
    }
    return parts.join(' and ');
  }
  if ('any' in c) {
    const parts = c.any.map((child) => explain(child, facts)).filter((w): w is string => w !== undefined);
    return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`;
  }
  if ('not' in c) return explain(c.not, facts) === undefined ? `not (${describe(c.not)})` : undefined;
  const actual = facts[c.fact];
  if ('equals' in c) return actual === c.equals ? `${c.fact} is ${show(c.equals)}` : undefined;
  if ('in' in c)
    return c.in.includes(actual as Scalar)
      ? `${c.fact} is ${show(actual as Scalar)} (one of ${show(c.in as string[])})`
      : undefined;
  if ('includes' in c) return (actual as string[]).includes(c.includes) ? `${c.fact} include ${c.includes}` : undefined;
  if ('includesAny' in c) {
    const hit = (actual as string[]).filter((v) => c.includesAny.includes(v));
    return hit.length > 0 ? `${c.fact} include ${hit.join(', ')}` : undefined;
  }
  return (actual as number) >= c.atLeast ? `${c.fact} is ${show(actual as number)} (at least ${c.atLeast})` : undefined;
}

/** The condition in words, whatever the facts. */
export function describe(c: Condition): string {
  if ('all' in c) return c.all.map(describe).join(' and ');
  if ('any' in c) return `(${c.any.map(describe).join(' or ')})`;
  if ('not' in c) return `not (${describe(c.not)})`;
  if ('equals' in c) return `${c.fact} is ${show(c.equals)}`;
  if ('in' in c) return `${c.fact} is one of ${show(c.in as string[])}`;
  if ('includes' in c) return `${c.fact} include ${c.includes}`;
  if ('includesAny' in c) return `${c.fact} include any of ${show(c.includesAny)}`;
  return `${c.fact} is at least ${c.atLeast}`;
}

const byOrder =
  <T extends string>(order: readonly T[]) =>
  (a: T, b: T) =>
    order.indexOf(a) - order.indexOf(b);
const maxRisk = (a: RiskLevel, b: RiskLevel) => (RISK_ORDER.indexOf(b) > RISK_ORDER.indexOf(a) ? b : a);

const SECTOR_BY_NEED: [TriageNeed, Sector][] = [
  ['youth', 'juveniles'],
  ['elder', 'seniors'],
  ['overdose-follow-up', 'overdose'],
  ['housing', 'homelessness'],
];

/**
 * Runs a ruleset over one incident's facts. Rules fire in order (a rule with `stop` ends the
 * run); risk is the highest any fired rule set, needs and pathways their union. Platform
 * policies apply to every ruleset and are recorded like rules (path `policy`):
 * - imminent risk asks for mobile crisis at once and makes HIPAA 45 CFR 164.512(j) available;
 * - a court-involved case or an open investigation requires an officer or supervisor
 *   consultation before any referral;
 * - the program model's follow-up pathway and sectors;
 * - nothing fired: no further action.
 */
export function evaluate(ruleset: Ruleset, facts: TriageFacts, options: EvaluationOptions): Evaluation {
  let risk = 'none' as RiskLevel;
  const needs = new Set<TriageNeed>();
  const pathways = new Set<TriagePathway>();
  const consultation = new Set<ConsultationReason>();
  let sector = null as Sector | null;
  const fired: FiredRule[] = [];

  ruleset.rules.some((rule: Rule, i) => {
    const why = explain(rule.when, facts);
    if (why === undefined) return false;
    fired.push({ ruleId: rule.id, path: `rules.${i}`, why });
    const t = rule.then;
    if (t.risk) risk = maxRisk(risk, t.risk);
    t.needs?.forEach((n) => needs.add(n));
    t.pathways?.forEach((p) => pathways.add(p));
    t.consultation?.forEach((r) => consultation.add(r));
    if (t.sector && sector === null) sector = t.sector;
    return t.stop === true;
  });

  const policy = (ruleId: string, why: string) => fired.push({ ruleId, path: 'policy', why });

  if (risk === 'imminent') {
    pathways.add('mobile-crisis-now');
    policy(
      'imminent-risk-mobile-crisis',
      'risk is imminent: mobile crisis is asked for at once and HIPAA 45 CFR 164.512(j) (serious and imminent threat) is available',
    );
  }
  const legal: [boolean, ConsultationReason, string][] = [
    [
      facts.courtInvolved,
      'court-involved',
      `the case is court-involved (disposition ${show(facts.disposition)}, callType ${facts.callType})`,
    ],
    [facts.openInvestigation, 'open-investigation', 'the encounter is criminal: an investigation is open'],
  ];
  for (const [applies, reason, why] of legal) {
    if (applies && !consultation.has(reason)) {
      consultation.add(reason);
      policy(`consultation-${reason}`, `${why}; an officer or supervisor consultation is required before any referral`);
    }
  }
  if (options.followUpPathway === 'co-responder-follow-up' && pathways.has('clinician-outreach')) {
    pathways.delete('clinician-outreach');
    pathways.add('co-responder-follow-up');
    policy('program-co-response', 'the department runs co-response: the co-responder does the follow-up outreach');
  }
  if (pathways.size > 1) pathways.delete('no-further-action');
  if (pathways.size === 0) {
    pathways.add('no-further-action');
    policy('no-pathway', 'no rule asked for a pathway: no further action');
  }
  if (!options.assignsSectors) sector = null;
  else if (sector === null && !pathways.has('no-further-action')) {
    sector = SECTOR_BY_NEED.find(([n]) => needs.has(n))?.[1] ?? 'mental-health';
    policy('program-sector', `the social-justice unit assigns a sector: ${sector}`);
  }

  return {
    riskLevel: risk,
    needs: [...needs].sort(byOrder(NEED_ORDER)),
    pathways: [...pathways].sort(byOrder(PATHWAY_ORDER)),
    sector,
    consultationReasons: [...consultation].sort(),
    imminentThreat164512j: risk === 'imminent',
    fired,
  };
}
