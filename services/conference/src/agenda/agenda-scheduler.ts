import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What a scheduling call runs under: the department and the event chain it belongs to. */
export interface SchedulingContext {
  departmentId: string;
  correlationId: string;
  causationId?: string;
}

/**
 * Places open nominations on session agendas (capacity, cutoff, highest risk first) and moves
 * the cases of a withdrawn session. Every method runs in the caller's transaction.
 */
@Injectable()
export class AgendaScheduler {
  /** Places every open nomination of the department that has no upcoming agenda item yet. */
  async placeOpenNominations(em: EntityManager, ctx: SchedulingContext): Promise<void> {
    void em;
    void ctx;
    throw new Error('AgendaScheduler.placeOpenNominations: built by the agenda work of issue 12');
  }

  /** A session was cancelled: its cases move to the next sessions with room. */
  async sessionWithdrawn(em: EntityManager, ctx: SchedulingContext, sessionId: string): Promise<void> {
    void em;
    void ctx;
    void sessionId;
    throw new Error('AgendaScheduler.sessionWithdrawn: built by the agenda work of issue 12');
  }
}
