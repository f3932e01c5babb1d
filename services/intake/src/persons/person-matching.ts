import { createHash } from 'node:crypto';
import { newId } from '@cit/contracts';

/** A subject as person matching sees it: ids and blind indexes only, never PHI. */
export interface SubjectIndexes {
  id: string;
  personMatchIndex: string | null;
  personPhoneIndex: string | null;
  /**
   * The same identifiers under the previous blind-index version while a rotation runs: lookups
   * accept them (a person indexed before the rotation is still found), nothing stores them.
   */
  previous?: { personMatchIndex: string | null; personPhoneIndex: string | null } | null;
}

/** Persons already known in the department, by blind index (already resolved through merges). */
export interface KnownPersons {
  byMatchIndex: ReadonlyMap<string, string>;
  byPhoneIndex: ReadonlyMap<string, string>;
}

/** The two kinds of identifier a person is found by (person_identifier.kind). */
export type IdentifierKind = 'dob' | 'phone';

/** One row of person_identifier: (department, kind, blind index) → person. */
export interface PersonIdentifier {
  kind: IdentifierKind;
  index: string;
  personId: string;
}

export interface PersonDecision {
  /** subject id → person id */
  personBySubject: Map<string, string>;
  /** Persons to create, in the order they were first needed. */
  newPersonIds: string[];
  /** Indexes no person held yet, each with the person it now identifies (first subject wins). */
  newIdentifiers: PersonIdentifier[];
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
  const newIdentifiers: PersonIdentifier[] = [];
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
    if (s.personMatchIndex && !byMatch.has(s.personMatchIndex)) {
      byMatch.set(s.personMatchIndex, person);
      newIdentifiers.push({ kind: 'dob', index: s.personMatchIndex, personId: person });
    }
    if (s.personPhoneIndex && !byPhone.has(s.personPhoneIndex)) {
      byPhone.set(s.personPhoneIndex, person);
      newIdentifiers.push({ kind: 'phone', index: s.personPhoneIndex, personId: person });
    }
    personBySubject.set(s.id, person);
  }
  return { personBySubject, newPersonIds, newIdentifiers };
}

/**
 * What matching the subjects would create: each subject reduced to the indexes no person holds
 * yet (the rest set to null), subjects with none left dropped. Only these indexes need the
 * advisory locks (a new person, or a new index of a known person). A report about a known
 * person under known indexes creates nothing and takes no lock, so such reports never wait
 * for each other however many incidents the person has.
 */
export function unknownIndexes(subjects: readonly SubjectIndexes[], known: KnownPersons): SubjectIndexes[] {
  const out: SubjectIndexes[] = [];
  for (const s of subjects) {
    const m = s.personMatchIndex !== null && !known.byMatchIndex.has(s.personMatchIndex) ? s.personMatchIndex : null;
    const p = s.personPhoneIndex !== null && !known.byPhoneIndex.has(s.personPhoneIndex) ? s.personPhoneIndex : null;
    if (m !== null || p !== null) {
      // The previous version's indexes stay with the unknown ones: the lookup under the locks needs them too.
      const unknown: SubjectIndexes = { id: s.id, personMatchIndex: m, personPhoneIndex: p };
      if (s.previous) {
        unknown.previous = {
          personMatchIndex: m === null ? null : s.previous.personMatchIndex,
          personPhoneIndex: p === null ? null : s.previous.personPhoneIndex,
        };
      }
      out.push(unknown);
    }
  }
  return out;
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

/**
 * The department's person-creation lock (signed int8 as a decimal string). A bulk import batch
 * that must create persons takes it exclusively, once, instead of one lock per index; a single
 * report that must create takes it shared before its per-index locks. So an import batch and
 * the reports creating persons exclude each other, reports still only wait for reports
 * creating the same identity, and nobody waits when nothing is created.
 */
export function personCreationLockKey(departmentId: string): string {
  return createHash('sha256').update(`cit.intake.person-create\0${departmentId}`).digest().readBigInt64BE(0).toString();
}
