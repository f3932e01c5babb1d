import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  decidePersons,
  newPersonId,
  personCreationLockKey,
  personLockKeys,
  resolveMergedPerson,
  unknownIndexes,
  type IdentifierKind,
  type KnownPersons,
  type PersonDecision,
  type SubjectIndexes,
} from './person-matching';

/**
 * Links incident subjects to persons of their department by blind index (name + date of
 * birth, then name + phone) through person_identifier, never decrypting. Runs inside the
 * caller's transaction.
 */
@Injectable()
export class PersonMatcher {
  /**
   * Decides the person of each subject, creating new persons as needed, and sets
   * incident_subject.person_id. The subjects must already be inserted in this transaction.
   */
  async linkSubjects(
    manager: EntityManager,
    departmentId: string,
    subjects: readonly SubjectIndexes[],
  ): Promise<Map<string, string>> {
    const links = await this.assignPersons(manager, departmentId, subjects);
    if (links.size > 0) {
      await manager.query(
        `UPDATE incident_subject s SET person_id = l.person_id
           FROM unnest($2::text[], $3::text[]) AS l(subject_id, person_id)
          WHERE s.id = l.subject_id AND s.department_id = $1`,
        [departmentId, [...links.keys()], [...links.values()]],
      );
    }
    return links;
  }

  /**
   * Like linkSubjects but leaves incident_subject alone, for callers that insert subjects
   * afterwards with person_id already set (bulk import). New persons and the new rows of
   * person_identifier are inserted here.
   *
   * One indexed lookup per identifier in person_identifier, whatever the number of earlier
   * incidents of the person. Advisory locks only for indexes no person holds yet (someone
   * may be creating the same person right now): after the locks the lookup is repeated, so
   * the second of two concurrent first reports finds the first one's person.
   */
  async assignPersons(
    manager: EntityManager,
    departmentId: string,
    subjects: readonly SubjectIndexes[],
  ): Promise<Map<string, string>> {
    if (!manager.queryRunner?.isTransactionActive) {
      // Outside a transaction the locks below would be released before the subjects are stored.
      throw new Error('PersonMatcher: must run inside a transaction (pass the transaction EntityManager)');
    }
    if (subjects.length === 0) return new Map();
    let known = await this.findKnown(manager, departmentId, subjects);
    const creating = unknownIndexes(subjects, known);
    if (creating.length > 0) {
      // The department's creation lock shared (bulk imports take it exclusive), then the
      // indexes' own locks in sorted order: transactions sharing indexes queue, never deadlock.
      const lockKeys = [personCreationLockKey(departmentId), ...personLockKeys(departmentId, creating)];
      await manager.query(
        `SELECT CASE WHEN o = 1 THEN pg_advisory_xact_lock_shared(k) ELSE pg_advisory_xact_lock(k) END
           FROM unnest($1::int8[]) WITH ORDINALITY AS l(k, o)`,
        [lockKeys],
      );
      known = await this.findKnown(manager, departmentId, creating, known);
    }
    const decision = decidePersons(subjects, known, newPersonId);
    await this.store(manager, departmentId, decision);
    return decision.personBySubject;
  }

  /**
   * assignPersons for a bulk import batch (thousands of subjects): the same lookup and rule,
   * but a batch that must create persons takes the department's creation lock once,
   * exclusively, instead of a lock per new index (which could exhaust the lock table).
   */
  async assignPersonsInBulk(
    manager: EntityManager,
    departmentId: string,
    subjects: readonly SubjectIndexes[],
  ): Promise<Map<string, string>> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('PersonMatcher: must run inside a transaction (pass the transaction EntityManager)');
    }
    if (subjects.length === 0) return new Map();
    let known = await this.findKnown(manager, departmentId, subjects);
    const creating = unknownIndexes(subjects, known);
    if (creating.length > 0) {
      await manager.query('SELECT pg_advisory_xact_lock($1::int8)', [personCreationLockKey(departmentId)]);
      known = await this.findKnown(manager, departmentId, creating, known);
    }
    const decision = decidePersons(subjects, known, newPersonId);
    await this.store(manager, departmentId, decision);
    return decision.personBySubject;
  }

  /** Inserts the decided persons and identifiers (identifiers only under their advisory locks, so no other writer races them). */
  async store(manager: EntityManager, departmentId: string, decision: PersonDecision): Promise<void> {
    if (decision.newPersonIds.length > 0) {
      await manager.query('INSERT INTO person (id, department_id) SELECT id, $1 FROM unnest($2::text[]) AS id', [
        departmentId,
        decision.newPersonIds,
      ]);
    }
    if (decision.newIdentifiers.length > 0) {
      // DO NOTHING: a merge or an undo may have re-pointed the index meanwhile; the existing holder stays.
      await manager.query(
        `INSERT INTO person_identifier (department_id, kind, match_index, person_id)
         SELECT $1, kind, idx, person_id FROM unnest($2::text[], $3::text[], $4::text[]) AS i(kind, idx, person_id)
         ON CONFLICT DO NOTHING`,
        [
          departmentId,
          decision.newIdentifiers.map((i) => i.kind),
          decision.newIdentifiers.map((i) => i.index),
          decision.newIdentifiers.map((i) => i.personId),
        ],
      );
    }
  }

  /**
   * The persons holding the subjects' indexes, resolved through merges: one primary-key probe
   * of person_identifier per index, joined to the person row. A person merged away while
   * still holding an index (a report racing the merge) resolves to the survivor.
   */
  async findKnown(
    manager: EntityManager,
    departmentId: string,
    subjects: readonly SubjectIndexes[],
    already?: KnownPersons,
  ): Promise<KnownPersons> {
    const byMatchIndex = new Map(already?.byMatchIndex);
    const byPhoneIndex = new Map(already?.byPhoneIndex);
    // A hit under the previous blind-index version (a rotation in progress) counts for the
    // subject's active index, so the matching rule sees one identifier per identity.
    const activeOf = new Map<string, string>();
    for (const s of subjects) {
      if (s.previous?.personMatchIndex && s.personMatchIndex)
        activeOf.set(`dob\0${s.previous.personMatchIndex}`, s.personMatchIndex);
      if (s.previous?.personPhoneIndex && s.personPhoneIndex)
        activeOf.set(`phone\0${s.previous.personPhoneIndex}`, s.personPhoneIndex);
    }
    const matchIndexes = distinct(subjects.flatMap((s) => [s.personMatchIndex, s.previous?.personMatchIndex ?? null]));
    const phoneIndexes = distinct(subjects.flatMap((s) => [s.personPhoneIndex, s.previous?.personPhoneIndex ?? null]));
    if (matchIndexes.length + phoneIndexes.length === 0) return { byMatchIndex, byPhoneIndex };
    const found: { kind: IdentifierKind; idx: string; person_id: string; merged_into: string | null }[] =
      await manager.query(
        `SELECT i.kind, i.match_index AS idx, i.person_id, p.merged_into
           FROM person_identifier i
           JOIN person p ON p.department_id = i.department_id AND p.id = i.person_id
          WHERE i.department_id = $1
            AND ((i.kind = 'dob' AND i.match_index = ANY($2::text[])) OR (i.kind = 'phone' AND i.match_index = ANY($3::text[])))`,
        [departmentId, matchIndexes, phoneIndexes],
      );
    // The active version's row wins over the previous one's when both exist (they agree unless a merge raced the recompute).
    const hits = [
      ...found
        .filter((h) => activeOf.has(`${h.kind}\0${h.idx}`))
        .map((h) => ({ ...h, idx: activeOf.get(`${h.kind}\0${h.idx}`)! })),
      ...found.filter((h) => !activeOf.has(`${h.kind}\0${h.idx}`)),
    ];
    const mergedInto = new Map<string, string>();
    const merged = distinct(hits.map((h) => (h.merged_into ? h.person_id : null)));
    if (merged.length > 0) {
      const edges: { id: string; merged_into: string }[] = await manager.query(
        `WITH RECURSIVE chain AS (
           SELECT id, merged_into FROM person WHERE department_id = $1 AND id = ANY($2::text[])
           UNION
           SELECT p.id, p.merged_into FROM person p JOIN chain c ON p.id = c.merged_into WHERE p.department_id = $1
         )
         SELECT id, merged_into FROM chain WHERE merged_into IS NOT NULL`,
        [departmentId, merged],
      );
      for (const e of edges) mergedInto.set(e.id, e.merged_into);
    }
    for (const h of hits)
      (h.kind === 'dob' ? byMatchIndex : byPhoneIndex).set(h.idx, resolveMergedPerson(h.person_id, mergedInto));
    return { byMatchIndex, byPhoneIndex };
  }
}

function distinct(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}
