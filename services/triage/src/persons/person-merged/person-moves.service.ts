import { Injectable } from '@nestjs/common';
import { AuditTrail, type AuditContext } from '@cit/audit';
import { OutboxWriter } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import type { EntityManager } from 'typeorm';
import { caseUpdatedEvent, type CaseEventMeta } from '../../cases/case-events';
import { CASE_COLUMNS, caseFromRow, lockPerson, updateReturning } from '../../cases/case.record';
import { ContactPreferenceAnnouncer } from '../contact-preferences/contact-preference-events.service';
import { ContactPreferenceStore } from '../contact-preferences/contact-preference.store';

type CaseRow = Parameters<typeof caseFromRow>[0];

/**
 * Follows intake's person merges: the merged person's cases move to the surviving person
 * (recorded per case, so an unmerge moves exactly those back), and the merged person becomes
 * an alias of the surviving one, through which crisis plans and contact preferences apply.
 * Runs in the consumer's inbox transaction, under the event's department.
 */
@Injectable()
export class PersonMovesService {
  private readonly logger = createLogger('person-moves');

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly preferences: ContactPreferenceStore,
    private readonly announcer: ContactPreferenceAnnouncer,
    private readonly audit: AuditTrail,
  ) {}

  async merge(
    em: EntityManager,
    m: { mergeId: string; survivingPersonId: string; mergedPersonId: string },
    meta: CaseEventMeta,
  ): Promise<void> {
    const { departmentId } = meta;
    const { mergeId, survivingPersonId: to, mergedPersonId: from } = m;
    for (const p of [from, to].sort()) await lockPerson(em, departmentId, p);
    const [seen] = await em.query('SELECT 1 FROM person_move WHERE department_id = $1 AND merge_id = $2 LIMIT 1', [
      departmentId,
      mergeId,
    ]);
    if (seen) return; // already applied (the inbox makes this rare: a re-sent event with a new id)

    await em.query(
      `INSERT INTO person_move (department_id, merge_id, record_type, record_id, from_person_id, to_person_id)
       VALUES ($1, $2, 'person', $3, $3, $4)`,
      [departmentId, mergeId, from, to],
    );
    const moved = (
      await updateReturning<CaseRow>(
        em,
        `UPDATE care_case SET person_id = $3, updated_at = now(), version = version + 1
          WHERE department_id = $1 AND person_id = $2 RETURNING ${CASE_COLUMNS}`,
        [departmentId, from, to],
      )
    ).map(caseFromRow);
    if (moved.length > 0) {
      await em.query(
        `INSERT INTO person_move (department_id, merge_id, record_type, record_id, from_person_id, to_person_id)
         SELECT $1, $2, 'case', unnest($3::text[]), $4, $5`,
        [departmentId, mergeId, moved.map((c) => c.id), from, to],
      );
    }
    await this.announceMoves(em, moved, from, to, meta, false);
    await this.record(em, 'merge', moved, [from, to], meta);
    this.logger.info({ departmentId, mergeId, casesMoved: moved.length }, 'person merge applied to cases');
  }

  async unmerge(
    em: EntityManager,
    m: { mergeId: string; survivingPersonId: string; mergedPersonId: string },
    meta: CaseEventMeta,
  ): Promise<void> {
    const { departmentId } = meta;
    const { mergeId, survivingPersonId: from, mergedPersonId: to } = m;
    for (const p of [from, to].sort()) await lockPerson(em, departmentId, p);
    const caseIds: { record_id: string }[] = await em.query(
      `SELECT record_id FROM person_move
        WHERE department_id = $1 AND merge_id = $2 AND record_type = 'case' AND undone_at IS NULL`,
      [departmentId, mergeId],
    );
    // Exactly the cases the merge moved, and only where the merge put them.
    const back = (
      await updateReturning<CaseRow>(
        em,
        `UPDATE care_case SET person_id = $3, updated_at = now(), version = version + 1
          WHERE department_id = $1 AND person_id = $2 AND id = ANY($4::text[]) RETURNING ${CASE_COLUMNS}`,
        [departmentId, from, to, caseIds.map((r) => r.record_id)],
      )
    ).map(caseFromRow);
    await em.query(
      'UPDATE person_move SET undone_at = now() WHERE department_id = $1 AND merge_id = $2 AND undone_at IS NULL',
      [departmentId, mergeId],
    );
    await this.announceMoves(em, back, from, to, meta, true);
    await this.record(em, 'unmerge', back, [from, to], meta);
    this.logger.info({ departmentId, mergeId, casesMovedBack: back.length }, 'person unmerge applied to cases');
  }

  /**
   * One case.updated per moved case (new person, effective preference); then, if either person
   * has a preference of their own, the other active cases whose effective preference the alias changed.
   */
  private async announceMoves(
    em: EntityManager,
    moved: ReturnType<typeof caseFromRow>[],
    from: string,
    to: string,
    meta: CaseEventMeta,
    separated: boolean,
  ) {
    const { departmentId } = meta;
    for (const c of moved) {
      const contactPreference = await this.preferences.effective(em, departmentId, c.personId);
      await this.outbox.append(
        em,
        caseUpdatedEvent(
          c,
          {
            previousStatus: c.status,
            changedFields: ['personId', 'contactPreference'],
            updatedBy: 'intake-person-merge',
            contactPreference,
            previousPersonId: from,
          },
          meta,
        ),
      );
    }
    const [pref] = await em.query(
      'SELECT 1 FROM contact_preference WHERE department_id = $1 AND person_id = ANY($2::text[]) LIMIT 1',
      [departmentId, [from, to]],
    );
    if (!pref) return;
    const except = moved.map((c) => c.id);
    // After a merge `from` is an alias of `to`, so its chain covers both; after an unmerge the two chains are apart.
    await this.announcer.announce(em, from, 'intake-person-merge', meta, except);
    if (separated) await this.announcer.announce(em, to, 'intake-person-merge', meta, except);
  }

  /** The PHI access audit records the moved cases as changed by the system, in the consumer's transaction (last: it takes the chain lock). */
  private async record(
    em: EntityManager,
    action: 'merge' | 'unmerge',
    cases: readonly { id: string }[],
    personIds: string[],
    meta: CaseEventMeta,
  ): Promise<void> {
    if (cases.length === 0) return;
    const context: AuditContext = {
      departmentId: meta.departmentId,
      actor: { kind: 'system', subject: 'triage:person-merge', roles: [] },
      purpose: 'operations',
      requestId: meta.causationId ?? null,
      correlationId: meta.correlationId ?? null,
      clientAddress: null,
    };
    await this.audit.append(
      em,
      context,
      cases.map((c) => ({ action, recordType: 'case', recordId: c.id, personIds, fields: ['personId'] })),
    );
  }
}
