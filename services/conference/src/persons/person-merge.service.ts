import { Injectable } from '@nestjs/common';
import type { PersonMerged, PersonUnmerged } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import type { SchedulingContext } from '../agenda/agenda-scheduler';
import { survivingNomination } from '../nominations/domain/nomination-status';
import { changedRows, lockOpenNominationOf } from '../nominations/nomination.record';
import { lockPerson, NominationWriter } from '../nominations/nomination-writer.service';

interface MovableNomination {
  id: string;
  status: string;
  risk_level: string;
  created_at: Date;
}

/**
 * Intake's person merges, as the conference service follows them: the merged person's
 * nominations and projection go to the survivor. One open nomination per person still holds:
 * when both had one, the higher-risk one (then the older) stays open and the other is closed as
 * 'merged', linked to it. Every change is recorded per merge, so an unmerge undoes exactly it.
 */
@Injectable()
export class PersonMergeService {
  constructor(private readonly writer: NominationWriter) {}

  async merge(em: EntityManager, d: PersonMerged, ctx: SchedulingContext): Promise<void> {
    const dept = ctx.departmentId;
    await lockBoth(em, dept, d.survivingPersonId, d.mergedPersonId);
    const [seen]: unknown[] = await em.query(
      `SELECT 1 FROM nomination_person_move WHERE department_id = $1 AND merge_id = $2 LIMIT 1`,
      [dept, d.mergeId],
    );
    await em.query(
      `UPDATE conference_person SET merged_into = $3, updated_at = now()
        WHERE department_id = $1 AND person_id = $2 AND merged_into IS NULL`,
      [dept, d.mergedPersonId, d.survivingPersonId],
    );
    if (seen) return;

    const moving: MovableNomination[] = await em.query(
      `SELECT id, status, risk_level, created_at FROM nomination
        WHERE department_id = $1 AND person_key = $2 ORDER BY created_at FOR UPDATE`,
      [dept, d.mergedPersonId],
    );
    if (moving.length === 0) return;
    const survivorOpen = await lockOpenNominationOf(em, dept, d.survivingPersonId);
    const mergedOpen = moving.find((n) => n.status === 'open');
    if (survivorOpen && mergedOpen) {
      const toOpen = (n: { id: string; risk_level: string; created_at: Date }) => ({
        id: n.id,
        riskLevel: n.risk_level,
        createdAt: new Date(n.created_at),
      });
      const keep = survivingNomination(toOpen(survivorOpen), toOpen(mergedOpen));
      const close = keep.id === survivorOpen.id ? mergedOpen.id : survivorOpen.id;
      const closeKey = close === survivorOpen.id ? d.survivingPersonId : d.mergedPersonId;
      await em.query(
        `UPDATE nomination SET status = 'closed', closed_status = 'merged', closed_at = now(),
                linked_nomination_id = $3, updated_at = now(), version = version + 1
          WHERE department_id = $1 AND id = $2`,
        [dept, close, keep.id],
      );
      await em.query(
        `INSERT INTO nomination_person_move (department_id, merge_id, nomination_id, from_person_key, to_person_key,
           from_status, to_status) VALUES ($1, $2, $3, $4, $5, 'open', 'closed')`,
        [dept, d.mergeId, close, closeKey, d.survivingPersonId],
      );
    }
    await em.query(
      `INSERT INTO nomination_person_move (department_id, merge_id, nomination_id, from_person_key, to_person_key,
         from_status, to_status)
       SELECT department_id, $2, id, person_key, $4, status, status FROM nomination
        WHERE department_id = $1 AND person_key = $3
       ON CONFLICT (department_id, merge_id, nomination_id) DO NOTHING`,
      [dept, d.mergeId, d.mergedPersonId, d.survivingPersonId],
    );
    await em.query(
      `UPDATE nomination SET person_key = $3, person_id = $3, updated_at = now(), version = version + 1
        WHERE department_id = $1 AND person_key = $2`,
      [dept, d.mergedPersonId, d.survivingPersonId],
    );
  }

  async unmerge(em: EntityManager, d: PersonUnmerged, ctx: SchedulingContext): Promise<void> {
    const dept = ctx.departmentId;
    await lockBoth(em, dept, d.survivingPersonId, d.mergedPersonId);
    await em.query(
      `UPDATE conference_person SET merged_into = NULL, updated_at = now()
        WHERE department_id = $1 AND person_id = $2 AND merged_into = $3`,
      [dept, d.mergedPersonId, d.survivingPersonId],
    );
    const moves: Array<{ nomination_id: string; from_person_key: string; from_status: string; to_status: string }> =
      await em.query(
        `SELECT nomination_id, from_person_key, from_status, to_status FROM nomination_person_move
          WHERE department_id = $1 AND merge_id = $2 AND undone_at IS NULL FOR UPDATE`,
        [dept, d.mergeId],
      );
    if (moves.length === 0) return;
    for (const m of moves) {
      await em.query(
        `UPDATE nomination SET person_key = $3, person_id = $3, updated_at = now(), version = version + 1
          WHERE department_id = $1 AND id = $2`,
        [dept, m.nomination_id, m.from_person_key],
      );
    }
    let reopened = false;
    for (const m of moves.filter((x) => x.from_status === 'open' && x.to_status === 'closed')) {
      // Reopened only if still closed by this merge and its person has no other open one meanwhile.
      if (await lockOpenNominationOf(em, dept, m.from_person_key)) continue;
      const rows = await changedRows(
        em,
        `UPDATE nomination SET status = 'open', closed_status = NULL, closed_at = NULL, linked_nomination_id = NULL,
                updated_at = now(), version = version + 1
          WHERE department_id = $1 AND id = $2 AND status = 'closed' AND closed_status = 'merged' RETURNING id`,
        [dept, m.nomination_id],
      );
      reopened ||= rows.length > 0;
    }
    await em.query(
      `UPDATE nomination_person_move SET undone_at = now() WHERE department_id = $1 AND merge_id = $2 AND undone_at IS NULL`,
      [dept, d.mergeId],
    );
    if (reopened) await this.writer.opened(em, ctx);
  }
}

// Both persons' nomination locks, in one order whatever the event's, so two merges never deadlock.
async function lockBoth(em: EntityManager, dept: string, a: string, b: string): Promise<void> {
  for (const key of [a, b].sort()) await lockPerson(em, dept, key);
}
