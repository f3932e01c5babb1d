import { Injectable } from '@nestjs/common';
import { newId } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import type { EntityManager } from 'typeorm';
import { AgendaScheduler } from '../../agenda/agenda-scheduler';
import type { SessionChange } from '../domain/session-plan';
import type { SeriesRecord, SessionRecord } from '../series.record';
import { sessionScheduledEvent, type ChangeContext } from './session-events';
import { SessionStore } from './session.store';

/** What applying a plan did. */
export interface AppliedChanges {
  created: SessionRecord[];
  updated: SessionRecord[];
  cancelled: SessionRecord[];
}

/**
 * Applies session changes in the caller's transaction: every created, changed or cancelled
 * session gets its cit.conference.session-scheduled.v1 in the outbox, the cases of cancelled
 * sessions move, and open nominations are placed on the sessions that now have room.
 */
@Injectable()
export class SessionWriter {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly scheduler: AgendaScheduler,
  ) {}

  async apply(
    em: EntityManager,
    series: SeriesRecord,
    changes: readonly SessionChange[],
    ctx: ChangeContext,
    cancelReason = 'series-changed',
    options: { place?: boolean } = {},
  ): Promise<AppliedChanges> {
    const dept = series.departmentId;
    const done: AppliedChanges = { created: [], updated: [], cancelled: [] };
    // Creations first, so the cases of a cancelled session can move to a session created by the same edit.
    for (const c of changes) {
      if (c.kind !== 'create') continue;
      const s = await SessionStore.insertIfAbsent(em, dept, series.id, newId('ses'), c);
      if (s) done.created.push(s);
    }
    for (const c of changes) {
      if (c.kind === 'update') {
        done.updated.push(
          await SessionStore.update(em, dept, c.id, { recurrenceLocal: c.recurrenceLocal, fields: c.fields }),
        );
      } else if (c.kind === 'relabel') {
        await SessionStore.relabel(em, dept, c.id, c.recurrenceLocal);
      }
    }
    for (const c of changes) {
      if (c.kind === 'cancel') done.cancelled.push(await SessionStore.cancel(em, dept, c.id, cancelReason));
    }
    await this.publish(em, series, [...done.created, ...done.updated, ...done.cancelled], ctx);
    for (const s of done.cancelled) await this.scheduler.sessionWithdrawn(em, ctx, s.id);
    const place = options.place ?? true;
    if (place && (done.created.length > 0 || done.updated.length > 0))
      await this.scheduler.placeOpenNominations(em, ctx);
    return done;
  }

  /** Writes the session-scheduled event of each session as it is now. */
  async publish(em: EntityManager, series: SeriesRecord, sessions: readonly SessionRecord[], ctx: ChangeContext) {
    await this.outbox.appendMany(
      em,
      sessions.map((s) => sessionScheduledEvent(series, s, ctx)),
    );
  }
}
