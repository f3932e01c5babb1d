import {
  SCREENING_CATEGORIES,
  SCREENING_OBSERVATIONS,
  type ObservationRule,
  type ScreeningCategory,
  type ScreeningObservation,
  type ScreeningRules,
  type TermRule,
} from './screening';

/** The screening_config columns: text[] entries of the form "<category>:<term>". */
export interface ScreeningConfigColumns {
  callTypes: string[];
  keywords: string[];
  phrases: string[];
  observations: string[];
}

const isCategory = (v: string): v is ScreeningCategory => (SCREENING_CATEGORIES as readonly string[]).includes(v);
const isObservation = (v: string): v is ScreeningObservation =>
  (SCREENING_OBSERVATIONS as readonly string[]).includes(v);

// The category comes first because it never contains ':', while a call type might.
const encode = (suggests: ScreeningCategory, term: string) => `${suggests}:${term}`;

function decode(entry: string): { suggests: ScreeningCategory; term: string } | undefined {
  const at = entry.indexOf(':');
  if (at < 0) return undefined;
  const suggests = entry.slice(0, at);
  const term = entry.slice(at + 1);
  return isCategory(suggests) && term !== '' ? { suggests, term } : undefined;
}

const decodeTerms = (entries: string[]): TermRule[] =>
  entries.flatMap((e) => {
    const d = decode(e);
    return d ? [d] : [];
  });

/** Rules to columns. */
export function encodeScreeningRules(rules: ScreeningRules): ScreeningConfigColumns {
  return {
    callTypes: rules.callTypes.map((r) => encode(r.suggests, r.term)),
    keywords: rules.keywords.map((r) => encode(r.suggests, r.term)),
    phrases: rules.phrases.map((r) => encode(r.suggests, r.term)),
    observations: rules.observations.map((r) => encode(r.suggests, r.observation)),
  };
}

/** Columns to rules; entries that do not decode (hand-edited rows) are skipped rather than failing every screening. */
export function decodeScreeningRules(columns: ScreeningConfigColumns): ScreeningRules {
  const observations: ObservationRule[] = decodeTerms(columns.observations).flatMap(({ term, suggests }) =>
    isObservation(term) ? [{ observation: term, suggests }] : [],
  );
  return {
    callTypes: decodeTerms(columns.callTypes),
    keywords: decodeTerms(columns.keywords),
    phrases: decodeTerms(columns.phrases),
    observations,
  };
}
