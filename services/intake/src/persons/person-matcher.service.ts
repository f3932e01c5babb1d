import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  decidePersons,
  newPersonId,
  personLockKeys,
  resolveMergedPerson,
  type SubjectIndexes,
} from './person-matching';

/**
 * Links incident subjects to persons of their department by blind index (name + date of
 * birth, then name + phone), never decrypting. Runs inside the caller's transaction.
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
   * afterwards with person_id already set (bulk import). New persons are inserted here.
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
    // Serializes concurrent creators of the same person: whoever waits sees the other's subjects after the lock.
    const lockKeys = personLockKeys(departmentId, subjects);
    if (lockKeys.length > 0)
      await manager.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::int8[]) AS k', [lockKeys]);

    const matchIndexes = distinct(subjects.map((s) => s.personMatchIndex));
    const phoneIndexes = distinct(subjects.map((s) => s.personPhoneIndex));
    const known =
      matchIndexes.length + phoneIndexes.length > 0
        ? await this.findKnown(manager, departmentId, matchIndexes, phoneIndexes)
        : undefined;
    const decision = decidePersons(
      subjects,
      known ?? { byMatchIndex: new Map(), byPhoneIndex: new Map() },
      newPersonId,
    );
    if (decision.newPersonIds.length > 0) {
      await manager.query('INSERT INTO person (id, department_id) SELECT id, $1 FROM unnest($2::text[]) AS id', [
        departmentId,
        decision.newPersonIds,
      ]);
    }
    return decision.personBySubject;
  }

  private async findKnown(
    manager: EntityManager,
    departmentId: string,
    matchIndexes: string[],
    phoneIndexes: string[],
  ) {
    // One person per index; min() keeps the choice deterministic when an undone merge left two.
    const hits: { kind: 'm' | 'p'; idx: string; person_id: string }[] = await manager.query(
      `SELECT 'm' AS kind, person_match_index AS idx, min(person_id) AS person_id FROM incident_subject
        WHERE department_id = $1 AND person_match_index = ANY($2::text[]) AND person_id IS NOT NULL
        GROUP BY person_match_index
       UNION ALL
       SELECT 'p', person_phone_index, min(person_id) FROM incident_subject
        WHERE department_id = $1 AND person_phone_index = ANY($3::text[]) AND person_id IS NOT NULL
        GROUP BY person_phone_index`,
      [departmentId, matchIndexes, phoneIndexes],
    );
    const mergedInto = new Map<string, string>();
    if (hits.length > 0) {
      const edges: { id: string; merged_into: string }[] = await manager.query(
        `WITH RECURSIVE chain AS (
           SELECT id, merged_into FROM person WHERE department_id = $1 AND id = ANY($2::text[])
           UNION
           SELECT p.id, p.merged_into FROM person p JOIN chain c ON p.id = c.merged_into WHERE p.department_id = $1
         )
         SELECT id, merged_into FROM chain WHERE merged_into IS NOT NULL`,
        [departmentId, distinct(hits.map((h) => h.person_id))],
      );
      for (const e of edges) mergedInto.set(e.id, e.merged_into);
    }
    const byMatchIndex = new Map<string, string>();
    const byPhoneIndex = new Map<string, string>();
    for (const h of hits)
      (h.kind === 'm' ? byMatchIndex : byPhoneIndex).set(h.idx, resolveMergedPerson(h.person_id, mergedInto));
    return { byMatchIndex, byPhoneIndex };
  }
}

function distinct(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}
