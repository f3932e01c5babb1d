import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { buildEvent, newId, type EventData } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { createLogger, currentContext } from '@cit/observability';
import { ProblemException, ProblemType, RequestValidationError } from '@cit/service-kit';
import { tenantTransaction } from '@cit/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import type { MergePersonsRequest, UndoPersonMergeRequest } from './merge-persons.request';

const conflict = (detail: string) =>
  new ProblemException(ProblemType.conflict, HttpStatus.CONFLICT, 'Conflict', detail);

/** Merges a duplicate person into another and undoes such merges exactly (the recorded subjects move back). */
@Injectable()
export class MergePersonsService {
  private readonly logger = createLogger('person-merge');

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async merge(sourceId: string, req: MergePersonsRequest, principal: Principal) {
    const departmentId = principal.departmentId;
    if (req.intoPersonId === sourceId)
      throw new RequestValidationError([{ field: 'intoPersonId', detail: 'must differ from the person being merged' }]);
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      // Both rows locked in id order: concurrent merges of the same pair queue instead of deadlocking.
      const persons: { id: string; merged_into: string | null }[] = await em.query(
        'SELECT id, merged_into FROM person WHERE department_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE',
        [departmentId, [sourceId, req.intoPersonId]],
      );
      const source = persons.find((p) => p.id === sourceId);
      const target = persons.find((p) => p.id === req.intoPersonId);
      if (!source) throw new NotFoundException('person not found');
      if (!target) throw new NotFoundException('intoPersonId: no such person in the department');
      if (source.merged_into) throw conflict('the person was already merged into another person');
      if (target.merged_into) throw conflict('intoPersonId was merged into another person; merge into that one');

      const moved = await updateReturning<{ id: string }>(
        em,
        'UPDATE incident_subject SET person_id = $3 WHERE department_id = $1 AND person_id = $2 RETURNING id',
        [departmentId, sourceId, req.intoPersonId],
      );
      const movedIds = moved.map((r) => r.id);
      // The merged person's identifiers now find the survivor; recorded so an undo gives back exactly these.
      const movedIdentifiers = await updateReturning<{ kind: string; index: string }>(
        em,
        `UPDATE person_identifier SET person_id = $3 WHERE department_id = $1 AND person_id = $2
         RETURNING kind, match_index AS index`,
        [departmentId, sourceId, req.intoPersonId],
      );
      await em.query('UPDATE person SET merged_into = $2 WHERE id = $1 AND department_id = $3', [
        sourceId,
        req.intoPersonId,
        departmentId,
      ]);
      const mergeId = newId('pmg');
      const [row]: { merged_at: Date }[] = await em.query(
        `INSERT INTO person_merge (id, department_id, source_person_id, target_person_id, moved_subject_ids, moved_identifiers, reason, merged_by)
         VALUES ($1, $2, $3, $4, $5::text[], $6::jsonb, $7, $8) RETURNING merged_at`,
        [
          mergeId,
          departmentId,
          sourceId,
          req.intoPersonId,
          movedIds,
          JSON.stringify(movedIdentifiers),
          req.reason,
          principal.subject,
        ],
      );
      const mergedAt = row!.merged_at.toISOString();
      await this.announce(em, departmentId, {
        type: 'cit.person.merged.v1',
        data: {
          survivingPersonId: req.intoPersonId,
          mergedPersonId: sourceId,
          mergeId,
          mergedAt,
        },
      });
      this.logger.info(
        {
          departmentId,
          mergeId,
          sourcePersonId: sourceId,
          targetPersonId: req.intoPersonId,
          movedSubjects: movedIds.length,
        },
        'persons merged',
      );
      return {
        mergeId,
        sourcePersonId: sourceId,
        targetPersonId: req.intoPersonId,
        movedSubjectIds: movedIds,
        mergedBy: principal.subject,
        mergedAt,
      };
    });
  }

  async undo(mergeId: string, req: UndoPersonMergeRequest, principal: Principal) {
    const departmentId = principal.departmentId;
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const [merge]: {
        source_person_id: string;
        target_person_id: string;
        moved_subject_ids: string[];
        moved_identifiers: { kind: string; index: string }[];
        undone_at: Date | null;
      }[] = await em.query(
        'SELECT source_person_id, target_person_id, moved_subject_ids, moved_identifiers, undone_at FROM person_merge WHERE id = $1 AND department_id = $2 FOR UPDATE',
        [mergeId, departmentId],
      );
      if (!merge) throw new NotFoundException('merge not found');
      if (merge.undone_at) throw conflict('the merge was already undone');
      const [target]: { merged_into: string | null }[] = await em.query(
        'SELECT merged_into FROM person WHERE id = $1 AND department_id = $2 FOR UPDATE',
        [merge.target_person_id, departmentId],
      );
      // The target's subjects (these included) moved on with a later merge: undo that one first, newest first.
      if (target?.merged_into) throw conflict('the target person was merged again later; undo that merge first');

      // Only the recorded subjects, and only where the merge put them: later links stay untouched.
      const back = await updateReturning<{ id: string }>(
        em,
        'UPDATE incident_subject SET person_id = $2 WHERE department_id = $1 AND id = ANY($3::text[]) AND person_id = $4 RETURNING id',
        [departmentId, merge.source_person_id, merge.moved_subject_ids, merge.target_person_id],
      );
      // Likewise only the identifiers the merge moved, and only where it put them.
      await em.query(
        `UPDATE person_identifier i SET person_id = $2
           FROM jsonb_to_recordset($3::jsonb) AS m(kind text, index text)
          WHERE i.department_id = $1 AND i.kind = m.kind AND i.match_index = m.index AND i.person_id = $4`,
        [departmentId, merge.source_person_id, JSON.stringify(merge.moved_identifiers), merge.target_person_id],
      );
      await em.query('UPDATE person SET merged_into = NULL WHERE id = $1 AND department_id = $2', [
        merge.source_person_id,
        departmentId,
      ]);
      const [row] = await updateReturning<{ undone_at: Date }>(
        em,
        'UPDATE person_merge SET undone_by = $2, undone_at = now(), undo_reason = $3 WHERE id = $1 AND department_id = $4 RETURNING undone_at',
        [mergeId, principal.subject, req.reason, departmentId],
      );
      const restored = back.map((r) => r.id);
      const undoneAt = row!.undone_at.toISOString();
      await this.announce(em, departmentId, {
        type: 'cit.person.unmerged.v1',
        data: {
          survivingPersonId: merge.target_person_id,
          mergedPersonId: merge.source_person_id,
          mergeId,
          unmergedAt: undoneAt,
        },
      });
      this.logger.info({ departmentId, mergeId, restoredSubjects: restored.length }, 'person merge undone');
      return {
        mergeId,
        sourcePersonId: merge.source_person_id,
        targetPersonId: merge.target_person_id,
        restoredSubjectIds: restored,
        undoneBy: principal.subject,
        undoneAt,
      };
    });
  }

  /** The merge's events go into the outbox in the merge's own transaction, keyed by the surviving person so a merge and its undo stay in order. */
  private async announce(
    em: EntityManager,
    departmentId: string,
    event:
      | { type: 'cit.person.merged.v1'; data: EventData<'cit.person.merged.v1'> }
      | { type: 'cit.person.unmerged.v1'; data: EventData<'cit.person.unmerged.v1'> },
  ): Promise<void> {
    const ctx = currentContext();
    const meta = {
      departmentId,
      correlationId: ctx?.correlationId ?? event.data.mergeId,
      causationId: ctx?.requestId,
    };
    await this.outbox.append(
      em,
      event.type === 'cit.person.merged.v1'
        ? buildEvent(event.type, event.data.survivingPersonId, event.data, meta)
        : buildEvent(event.type, event.data.survivingPersonId, event.data, meta),
    );
  }
}

// TypeORM's postgres driver answers UPDATE ... RETURNING with [rows, affected], not rows.
async function updateReturning<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await em.query(sql, params)) as [T[], number];
  return rows;
}
