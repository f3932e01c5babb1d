/**
 * Behavioral-health screening of calls for service: which indicators suggest the call was
 * related to mental health or narcotics although the officer's coding does not say so.
 * Plain TypeScript (no framework): the rules are data, the matching is a pure function.
 */
import { bhObservationSchema, bhRelatedToSchema, type BhCoding } from '@cit/contracts';

/** What a rule hints at; the two NIBRS-based categories an officer can flag. */
export const SCREENING_CATEGORIES = bhRelatedToSchema.exclude(['both', 'neither']).options;
export type ScreeningCategory = (typeof SCREENING_CATEGORIES)[number];

/** Observation codes of the BH coding, from the contract that defines them. */
export const SCREENING_OBSERVATIONS = bhObservationSchema.options;
export type ScreeningObservation = (typeof SCREENING_OBSERVATIONS)[number];

export type ScreeningReasonKind = 'call-type' | 'keyword' | 'phrase' | 'observation';

/** Why a call landed in the review queue. `rule` is the configured term, never narrative text. */
export interface ScreeningReason {
  kind: ScreeningReasonKind;
  rule: string;
  suggests: ScreeningCategory;
}

/** A configured term and the category it suggests. */
export interface TermRule {
  term: string;
  suggests: ScreeningCategory;
}

export interface ObservationRule {
  observation: ScreeningObservation;
  suggests: ScreeningCategory;
}

/** A department's screening rules, already normalized (see normalizeScreeningRules). */
export interface ScreeningRules {
  /** Exact CAD/RMS call types, compared case-insensitively. */
  callTypes: TermRule[];
  /** Single-word stems matched at the start of narrative words ("suicid" → "suicidal"). */
  keywords: TermRule[];
  /** Whole-word sequences ("off his meds", "section 12"). */
  phrases: TermRule[];
  /** Officer observations that imply a category the coding left out. */
  observations: ObservationRule[];
}

export interface ScreeningInput {
  callType: string;
  /** Plaintext narrative; lives in memory only, never stored or logged by screening. */
  narrative?: string;
  observations: readonly string[];
  coding: Pick<BhCoding, 'relatedTo'>;
}

/** Limits of a department configuration: enough for real vocabularies, bounded per screening. */
export const SCREENING_LIMITS = {
  callTypes: 100,
  keywords: 200,
  phrases: 200,
  observations: SCREENING_OBSERVATIONS.length * SCREENING_CATEGORIES.length,
  callTypeLength: 100,
  keywordMinLength: 3,
  keywordMaxLength: 40,
  phraseMaxLength: 100,
  phraseMaxWords: 8,
} as const;

/**
 * Defaults for departments that saved no configuration, drawn from Metro Boston CIT practice:
 * "section 12" / "pink paper" are Massachusetts emergency psychiatric holds (M.G.L. c.123 §12),
 * "section 35" is the involuntary substance-use commitment.
 */
export const DEFAULT_SCREENING_RULES: ScreeningRules = {
  callTypes: [
    { term: 'welfare-check', suggests: 'mental-health' },
    { term: 'suicide-threat', suggests: 'mental-health' },
    { term: 'suicide-attempt', suggests: 'mental-health' },
    { term: 'person-in-crisis', suggests: 'mental-health' },
    { term: 'emotionally-disturbed-person', suggests: 'mental-health' },
    { term: 'overdose', suggests: 'narcotics' },
  ],
  keywords: [
    { term: 'suicid', suggests: 'mental-health' },
    { term: 'psych', suggests: 'mental-health' },
    { term: 'bipolar', suggests: 'mental-health' },
    { term: 'schizo', suggests: 'mental-health' },
    { term: 'hallucinat', suggests: 'mental-health' },
    { term: 'delusion', suggests: 'mental-health' },
    { term: 'paranoi', suggests: 'mental-health' },
    { term: 'manic', suggests: 'mental-health' },
    { term: 'overdos', suggests: 'narcotics' },
    { term: 'narcan', suggests: 'narcotics' },
    { term: 'naloxone', suggests: 'narcotics' },
    { term: 'fentanyl', suggests: 'narcotics' },
    { term: 'heroin', suggests: 'narcotics' },
    { term: 'opioid', suggests: 'narcotics' },
    { term: 'withdraw', suggests: 'narcotics' },
  ],
  phrases: [
    { term: 'hearing voices', suggests: 'mental-health' },
    { term: 'off his meds', suggests: 'mental-health' },
    { term: 'off her meds', suggests: 'mental-health' },
    { term: 'off their meds', suggests: 'mental-health' },
    { term: 'kill himself', suggests: 'mental-health' },
    { term: 'kill herself', suggests: 'mental-health' },
    { term: 'kill myself', suggests: 'mental-health' },
    { term: 'section 12', suggests: 'mental-health' },
    { term: 'pink paper', suggests: 'mental-health' },
    { term: 'section 35', suggests: 'narcotics' },
    { term: 'od', suggests: 'narcotics' },
  ],
  observations: [
    { observation: 'suicidal-statements', suggests: 'mental-health' },
    { observation: 'developmental-disability', suggests: 'mental-health' },
    { observation: 'overdose', suggests: 'narcotics' },
    { observation: 'intoxication', suggests: 'narcotics' },
  ],
};

/** The categories the officer's coding already covers. */
export function coveredCategories(relatedTo: BhCoding['relatedTo']): ReadonlySet<ScreeningCategory> {
  switch (relatedTo) {
    case 'both':
      return new Set(SCREENING_CATEGORIES);
    case 'mental-health':
      return new Set(['mental-health']);
    case 'narcotics':
      return new Set(['narcotics']);
    case 'neither':
      return new Set();
  }
}

/** Reasons whose category the coding does not cover yet. */
export function uncoveredReasons(
  reasons: readonly ScreeningReason[],
  relatedTo: BhCoding['relatedTo'],
): ScreeningReason[] {
  const covered = coveredCategories(relatedTo);
  return reasons.filter((r) => !covered.has(r.suggests));
}

/**
 * Lowercase, diacritics stripped (NFKD), anything but letters and digits turned into single
 * spaces: "Off his MEDS!" → "off his meds", "Suicidé" → "suicide".
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function words(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/** Call types compare as configured codes: trimmed, case-insensitive, otherwise exact. */
export function normalizeCallType(callType: string): string {
  return callType.trim().toLowerCase();
}

function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false;
  outer: for (let i = 0; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * Screens one call for service. Returns a reason per matching rule whose category the
 * officer's coding does not already cover; an empty list means nothing to review.
 * Rules are expected normalized (normalizeScreeningRules); defaults already are.
 */
export function screenIncident(input: ScreeningInput, rules: ScreeningRules): ScreeningReason[] {
  const covered = coveredCategories(input.coding.relatedTo);
  if (covered.size === SCREENING_CATEGORIES.length) return [];
  const open = (r: { suggests: ScreeningCategory }) => !covered.has(r.suggests);
  const reasons: ScreeningReason[] = [];
  const seen = new Set<string>();
  const add = (kind: ScreeningReasonKind, rule: string, suggests: ScreeningCategory) => {
    const key = `${kind}\u0000${rule}\u0000${suggests}`;
    if (seen.has(key)) return;
    seen.add(key);
    reasons.push({ kind, rule, suggests });
  };

  const callType = normalizeCallType(input.callType);
  for (const r of rules.callTypes)
    if (open(r) && normalizeCallType(r.term) === callType) add('call-type', r.term, r.suggests);

  const observed = new Set(input.observations);
  for (const r of rules.observations)
    if (open(r) && observed.has(r.observation)) add('observation', r.observation, r.suggests);

  const narrativeWords = input.narrative ? words(input.narrative) : [];
  if (narrativeWords.length > 0) {
    const distinct = [...new Set(narrativeWords)];
    for (const r of rules.keywords) {
      if (!open(r)) continue;
      const stem = normalizeText(r.term);
      // Prefix of a word, never a substring inside one: "cat" must not match "location".
      if (stem !== '' && distinct.some((w) => w.startsWith(stem))) add('keyword', r.term, r.suggests);
    }
    for (const r of rules.phrases) {
      if (open(r) && containsSequence(narrativeWords, words(r.term))) add('phrase', r.term, r.suggests);
    }
  }
  return reasons;
}

/** One problem of a submitted configuration, with the path of the offending entry. */
export interface RuleIssue {
  path: string;
  message: string;
}

export type RulesValidation = { ok: true; rules: ScreeningRules } | { ok: false; issues: RuleIssue[] };

type RawTermRule = { term: string; suggests: ScreeningCategory };
export interface RawScreeningRules {
  callTypes: RawTermRule[];
  keywords: RawTermRule[];
  phrases: RawTermRule[];
  observations: ObservationRule[];
}

/**
 * Normalizes a department's configuration and rejects terms that would match nothing or
 * everything: keywords are one word of at least three characters after normalization (a
 * two-letter stem such as "od" would hit "odor"; configure it as a phrase instead),
 * phrases are one to eight words. Duplicates (same normalized term and category) collapse.
 */
export function normalizeScreeningRules(raw: RawScreeningRules): RulesValidation {
  const issues: RuleIssue[] = [];
  const L = SCREENING_LIMITS;

  const collect = (
    list: RawTermRule[],
    key: 'callTypes' | 'keywords' | 'phrases',
    max: number,
    normalize: (term: string, path: string) => string | undefined,
  ): TermRule[] => {
    if (list.length > max) issues.push({ path: key, message: `at most ${max} entries` });
    const out: TermRule[] = [];
    const seen = new Set<string>();
    list.forEach((r, i) => {
      const term = normalize(r.term, `${key}.${i}.term`);
      if (term === undefined) return;
      const dedupe = `${term}\u0000${r.suggests}`;
      if (seen.has(dedupe)) return;
      seen.add(dedupe);
      out.push({ term, suggests: r.suggests });
    });
    return out;
  };

  const callTypes = collect(raw.callTypes, 'callTypes', L.callTypes, (t, path) => {
    const term = normalizeCallType(t);
    if (term === '') return void issues.push({ path, message: 'must not be blank' });
    if (term.length > L.callTypeLength)
      return void issues.push({ path, message: `at most ${L.callTypeLength} characters` });
    return term;
  });
  const keywords = collect(raw.keywords, 'keywords', L.keywords, (t, path) => {
    const term = normalizeText(t);
    if (term === '') return void issues.push({ path, message: 'must contain letters or digits' });
    if (term.includes(' '))
      return void issues.push({ path, message: 'a keyword is one word stem; use a phrase for several words' });
    if (term.length < L.keywordMinLength)
      return void issues.push({
        path,
        message: `at least ${L.keywordMinLength} characters (use a phrase for short whole words)`,
      });
    if (term.length > L.keywordMaxLength)
      return void issues.push({ path, message: `at most ${L.keywordMaxLength} characters` });
    return term;
  });
  const phrases = collect(raw.phrases, 'phrases', L.phrases, (t, path) => {
    const term = normalizeText(t);
    if (term === '') return void issues.push({ path, message: 'must contain letters or digits' });
    if (term.length > L.phraseMaxLength)
      return void issues.push({ path, message: `at most ${L.phraseMaxLength} characters` });
    if (term.split(' ').length > L.phraseMaxWords)
      return void issues.push({ path, message: `at most ${L.phraseMaxWords} words` });
    return term;
  });

  if (raw.observations.length > L.observations)
    issues.push({ path: 'observations', message: `at most ${L.observations} entries` });
  const observations: ObservationRule[] = [];
  const seenObservation = new Set<string>();
  for (const r of raw.observations) {
    const key = `${r.observation}\u0000${r.suggests}`;
    if (seenObservation.has(key)) continue;
    seenObservation.add(key);
    observations.push({ observation: r.observation, suggests: r.suggests });
  }

  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, rules: { callTypes, keywords, phrases, observations } };
}
