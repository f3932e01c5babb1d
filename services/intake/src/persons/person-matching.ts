import { createHash } from 'node:crypto';
import { newId } from '@cit/contracts';

/** A subject as person matching sees it: ids and blind indexes only, never PHI. */
export interface SubjectIndexes {
  id: string;
  personMatchIndex: string | null;
  personPhoneIndex: string | null;
}

/** Persons already known in the department, by blind index (already resolved through merges). */
export interface KnownPersons {
  byMatchIndex: ReadonlyMap<string, string>;
  byPhoneIndex: ReadonlyMap<string, string>;
}

export interface PersonDecision {
  /** subject id → person id */
  personBySubject: Map<string, string>;
  /** Persons to create, in the order they were first needed. */
  newPersonIds: string[];
}

/** Random person id (never derived from PHI). */
export const newPersonId = (): string => newId('per');

/**
 * The matching rule, applied to subjects in order as if each were committed before the next:
 * a subject joins the person of the same name + date-of-birth index; else of the same
 * name + phone index; else gets a new person. Subjects earlier in the same batch count as
 * known, so two subjects with the same index in one batch share one new person.
 */
export function decidePersons(
  subjects: readonly SubjectIndexes[],
  known: KnownPersons,
  createId: () => string = newPersonId,
): PersonDecision {
  const byMatch = new Map(known.byMatchIndex);
  const byPhone = new Map(known.byPhoneIndex);
  const personBySubject = new Map<string, string>();
  const newPersonIds: string[] = [];
  for (const s of subjects) {
    let person =
      (s.personMatchIndex && byMatch.get(s.personMatchIndex)) ||
      (s.personPhoneIndex && byPhone.get(s.personPhoneIndex)) ||
      undefined;
    if (!person) {
      person = createId();
      newPersonIds.push(person);
    }
    // First assignment wins: a later subject never re-points an index another person holds.
    if (s.personMatchIndex && !byMatch.has(s.personMatchIndex)) byMatch.set(s.personMatchIndex, person);
    if (s.personPhoneIndex && !byPhone.has(s.personPhoneIndex)) byPhone.set(s.personPhoneIndex, person);
    personBySubject.set(s.id, person);
  }
  return { personBySubject, newPersonIds };
}

/** Follows person.merged_into to the person that absorbed it (cycle-safe: stops at a repeat). */
export function resolveMergedPerson(personId: string, mergedInto: ReadonlyMap<string, string>): string {
  const seen = new Set<string>();
  let current = personId;
  while (mergedInto.has(current) && !seen.has(current)) {
    seen.add(current);
    current = mergedInto.get(current)!;
  }
  return current;
}

/**
 * Advisory-lock keys (signed int8 as decimal strings) for the indexes of a batch, sorted by
 * the key itself: every transaction takes its locks in the same order, so two batches that
 * share indexes wait for each other instead of deadlocking. The department is part of the
 * key so departments never contend.
 */
export function personLockKeys(departmentId: string, subjects: readonly SubjectIndexes[]): string[] {
  const keys = new Set<bigint>();
  for (const s of subjects) {
    for (const index of [s.personMatchIndex, s.personPhoneIndex]) {
      if (!index) continue;
      const digest = createHash('sha256').update(`cit.intake.person-match\0${departmentId}\0${index}`).digest();
      keys.add(digest.readBigInt64BE(0));
    }
  }
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
}
