/**
 * Rules of a series that do not depend on storage: which kinds take cases, member roles.
 */

/** The kinds of series a department runs (HUB / Situation Table, CCIT, CLEAR, stakeholder, cross-training, custom). */
export const SERIES_KINDS = ['hub', 'ccit', 'clear', 'stakeholder', 'cross-training', 'custom'] as const;
/** A kind of series. */
export type SeriesKind = (typeof SERIES_KINDS)[number];

/** Roles of a member agency in a series. */
export const MEMBER_ROLES = ['chair', 'member'] as const;
/** A member agency's role. */
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * Stakeholder meetings and cross-trainings discuss no individual cases, so a capacity of 0
 * ("takes no cases") is allowed for them only. Case conferences (HUB, CCIT, CLEAR) and custom
 * series exist to discuss cases and need room for at least one.
 */
export const CASELESS_KINDS: readonly SeriesKind[] = ['stakeholder', 'cross-training'];

/** Largest capacity of one session: a table discusses at most this many cases in a sitting. */
export const MAX_CASE_CAPACITY = 100;

/** Why a capacity is not allowed for a kind, or undefined when it is. */
export function capacityProblem(kind: SeriesKind, capacity: number): string | undefined {
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_CASE_CAPACITY) {
    return `must be a whole number from 0 to ${MAX_CASE_CAPACITY}`;
  }
  if (capacity === 0 && !CASELESS_KINDS.includes(kind)) {
    return `a ${kind} series discusses cases: capacity must be at least 1 (0 is for ${CASELESS_KINDS.join(' and ')})`;
  }
  return undefined;
}

/** A member agency of a series. */
export interface SeriesMember {
  agencyId: string;
  role: MemberRole;
}

/** Field errors of a member list (at least one chair, each agency once), named as members.<i>.<field>. */
export function memberProblems(members: readonly SeriesMember[]): { field: string; detail: string }[] {
  const problems: { field: string; detail: string }[] = [];
  const seen = new Set<string>();
  members.forEach((m, i) => {
    if (seen.has(m.agencyId)) problems.push({ field: `members.${i}.agencyId`, detail: 'agency listed twice' });
    seen.add(m.agencyId);
  });
  if (!members.some((m) => m.role === 'chair')) {
    problems.push({ field: 'members', detail: 'at least one member must be a chair' });
  }
  return problems;
}
