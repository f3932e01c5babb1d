import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { createLogger } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { AgendaScheduler } from '../../../agenda/agenda-scheduler';
import { requestChangeContext } from '../../change-context';
import { wallClockToInstant } from '../../domain/recurrence';
import { sessionTimes } from '../../domain/session-plan';
import { loadSessionFor } from '../../series-access';
import { sessionCancelled, sessionPast, sessionSequenceConflict } from '../../series.problems';
import { SessionStore } from '../session.store';
import { SessionWriter } from '../session-writer';
import { sessionView } from '../session.view';
import type { RescheduleSessionRequest } from './reschedule-session.request';

const MINUTE_MS = 60_000;

@Injectable()
export class RescheduleSessionService {
  private readonly logger = createLogger('sessions');

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: SessionWriter,
    private readonly scheduler: AgendaScheduler,
  ) {}

  /**
   * Moves a future session: new time (and length, place), cutoff recomputed from the series'
   * rule, rescheduled = true, sequence + 1. Its cases stay on it, even when the new cutoff has
   * already passed (nothing new is placed after the cutoff; nothing placed is taken away).
   */
  async reschedule(id: string, body: RescheduleSessionRequest, principal: Principal) {
    const ctx = requestChangeContext(principal, id);
    const result = await tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
      const { series, session } = await loadSessionFor(em, principal, id, true);
      if (body.expectedSequence !== undefined && body.expectedSequence !== session.sequence) {
        throw sessionSequenceConflict(session.sequence, body.expectedSequence);
      }
      if (session.status === 'cancelled') throw sessionCancelled();
      const now = Date.now();
      if (session.startsAt.getTime() <= now) throw sessionPast();
      const startsAt = wallClockToInstant(body.startsAt, series.timeZone);
      if (startsAt.getTime() <= now) {
        throw new RequestValidationError([{ field: 'startsAt', detail: 'must be in the future' }]);
      }
      const location = body.location === undefined ? session.location : body.location;
      const meetingUrl = body.meetingUrl === undefined ? session.meetingUrl : body.meetingUrl;
      if (!location && !meetingUrl) {
        throw new RequestValidationError([{ field: 'location', detail: 'give a location or a meetingUrl (or both)' }]);
      }
      const duration = body.durationMinutes ?? (session.endsAt.getTime() - session.startsAt.getTime()) / MINUTE_MS;
      const updated = await SessionStore.update(em, principal.departmentId, id, {
        fields: {
          ...sessionTimes(startsAt, duration, series.nominationCutoffHours),
          caseCapacity: session.caseCapacity,
          location,
          meetingUrl,
        },
        rescheduled: true,
      });
      await this.writer.publish(em, series, [updated], ctx);
      // A later cutoff may give open nominations a place on this session.
      await this.scheduler.placeOpenNominations(em, ctx);
      return { series, session: updated };
    });
    this.logger.info(
      { departmentId: principal.departmentId, sessionId: id, sequence: result.session.sequence },
      'session rescheduled',
    );
    return sessionView(result.series, result.session);
  }
}
