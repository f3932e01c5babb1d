import { z } from 'zod';

/**
 * Risk-factor codes a nomination presents, modelled on the HUB / Situation Table risk-factor
 * categories (the Risk-driven Tracking Database's categories: alcohol, drugs, mental health,
 * suicide, self-harm, criminal involvement, victimization, housing, basic needs, ...). Codes
 * are stable identifiers; the category groups them for statistics, the label is for people.
 */
export const RISK_FACTORS = [
  { code: 'mental-health', category: 'mental-health', label: 'Mental health' },
  { code: 'mental-health-diagnosed', category: 'mental-health', label: 'Diagnosed mental health problem' },
  { code: 'suicide-risk', category: 'suicide', label: 'Suicide risk (ideation, statements, prior attempt)' },
  { code: 'self-harm', category: 'self-harm', label: 'Self-harm' },
  { code: 'substance-use', category: 'drugs', label: 'Drug use' },
  { code: 'overdose', category: 'drugs', label: 'Overdose or overdose risk' },
  { code: 'alcohol', category: 'alcohol', label: 'Alcohol misuse' },
  { code: 'housing', category: 'housing', label: 'Housing (homeless, unstable, unsafe housing)' },
  { code: 'basic-needs', category: 'basic-needs', label: 'Basic needs not met (food, clothing, hygiene)' },
  { code: 'poverty', category: 'poverty', label: 'Poverty' },
  { code: 'unemployment', category: 'unemployment', label: 'Unemployment' },
  { code: 'criminal-involvement', category: 'criminal-involvement', label: 'Criminal involvement' },
  { code: 'antisocial-behaviour', category: 'antisocial-behaviour', label: 'Antisocial or negative behaviour' },
  { code: 'threat-to-others', category: 'antisocial-behaviour', label: 'Threats or violence towards others' },
  { code: 'victimization', category: 'victimization', label: 'Victimization' },
  { code: 'domestic-violence', category: 'victimization', label: 'Domestic or intimate-partner violence' },
  { code: 'elder-abuse', category: 'elder-abuse', label: 'Elder abuse' },
  { code: 'missing', category: 'missing', label: 'Missing or runaway' },
  { code: 'physical-health', category: 'physical-health', label: 'Physical health' },
  {
    code: 'cognitive-functioning',
    category: 'cognitive-functioning',
    label: 'Cognitive functioning (dementia, brain injury, developmental)',
  },
  { code: 'youth-school', category: 'school', label: 'School (truancy, suspension, disengagement)' },
  { code: 'parenting', category: 'parenting', label: 'Parenting' },
  { code: 'supervision', category: 'supervision', label: 'Lack of supervision' },
  {
    code: 'social-environment',
    category: 'social-environment',
    label: 'Social environment (negative peers, isolation)',
  },
  { code: 'gang-involvement', category: 'social-environment', label: 'Gang involvement' },
  { code: 'repeat-police-contact', category: 'criminal-involvement', label: 'Repeated police contacts' },
] as const;

/** A risk-factor code. */
export type RiskFactorCode = (typeof RISK_FACTORS)[number]['code'];

const CODES = RISK_FACTORS.map((f) => f.code) as [RiskFactorCode, ...RiskFactorCode[]];

/** Runtime schema of one risk-factor code. */
export const riskFactorCodeSchema = z.enum(CODES);

/** A nomination's risk factors: at least one, no repeats, at most every code once. */
export const riskFactorsSchema = z
  .array(riskFactorCodeSchema)
  .min(1)
  .max(CODES.length)
  .refine((codes) => new Set(codes).size === codes.length, 'must not repeat a code');

/** Codes in the catalogue's order, each once: a stable presentation whatever the input order. */
export function normalizeRiskFactors(codes: Iterable<string>): RiskFactorCode[] {
  const given = new Set(codes);
  return CODES.filter((c) => given.has(c));
}

/** The behavioral-health coding intake sent with the person's last incident (codes only). */
export interface BehavioralHealthCodes {
  relatedTo: string | null;
  observations: readonly string[];
  suspectedUsing: readonly string[];
}

/** Why triage asked for the nomination (cit.conference.nomination-requested.v1 reason). */
export type TriageNominationReason =
  | 'repeat-contacts'
  | 'acutely-elevated-risk'
  | 'clinician-request'
  | 'partner-request';

// Intake's coding (libs/contracts common.schemas): what the call was related to, the officer's
// observations and NIBRS suspected-using (A alcohol, D drugs/narcotics, C computer, N none).
const RELATED_TO: Record<string, RiskFactorCode[]> = {
  'mental-health': ['mental-health'],
  narcotics: ['substance-use'],
  both: ['mental-health', 'substance-use'],
};

const OBSERVATIONS: Record<string, RiskFactorCode[]> = {
  'suicidal-statements': ['suicide-risk'],
  'weapon-present': ['threat-to-others'],
  intoxication: ['substance-use'],
  'developmental-disability': ['cognitive-functioning'],
  trauma: ['victimization'],
  overdose: ['overdose'],
};

const SUSPECTED_USING: Record<string, RiskFactorCode[]> = { A: ['alcohol'], D: ['substance-use'] };

/**
 * Risk factors of a triage nomination: what the reason says (repeat contacts) plus what the
 * person's last behavioral-health coding shows; unknown codes are ignored, never guessed at.
 * Always at least one factor: a nomination with nothing known presents as repeated police contact
 * or mental health (triage nominates on behavioral-health grounds).
 */
export function deriveTriageRiskFactors(
  reason: TriageNominationReason,
  coding: BehavioralHealthCodes | null,
): RiskFactorCode[] {
  const codes = new Set<RiskFactorCode>();
  if (reason === 'repeat-contacts') codes.add('repeat-police-contact');
  if (coding) {
    for (const c of coding.relatedTo ? (RELATED_TO[coding.relatedTo] ?? []) : []) codes.add(c);
    for (const o of coding.observations) for (const c of OBSERVATIONS[o] ?? []) codes.add(c);
    for (const u of coding.suspectedUsing) for (const c of SUSPECTED_USING[u] ?? []) codes.add(c);
  }
  if (codes.size === 0) codes.add('mental-health');
  return normalizeRiskFactors(codes);
}
