import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { createLogger } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { requestChangeContext } from '../../change-context';
import { loadSessionFor } from '../../series-access';
import { sessionCancelled, sessionPast, sessionSequenceConflict } from '../../series.problems';
import { SessionWriter } from '../session-writer';
import { sessionView } from '../session.view';
import type { CancelSessionRequest } from './cancel-session.request';

@Injectable()
export class CancelSessionService {
  private readonly logger = createLogger('sessions');

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: SessionWriter,
  ) {}

  /** Cancels a future session (sequence + 1, event) and moves its cases to the next sessions with room. */
  async cancel(id: string, body: CancelSessionRequest, principal: Principal) {
    const ctx = requestChangeContext(principal, id);
    const result = await tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
      const { series, session } = await loadSessionFor(em, principal, id, true);
      if (body.expectedSequence !== undefined && body.expectedSequence !== session.sequence) {
        throw sessionSequenceConflict(session.sequence, body.expectedSequence);
      }
      if (session.status === 'cancelled') throw sessionCancelled();
      if (session.startsAt.getTime() <= Date.now()) throw sessionPast();
      const done = await this.writer.apply(em, series, [{ kind: 'cancel', id }], ctx, body.reason);
      return { series, session: done.cancelled[0]! };
    });
    this.logger.info(
      { departmentId: principal.departmentId, sessionId: id, sequence: result.session.sequence },
      'session cancelled',
    );
    return sessionView(result.series, result.session);
  }
}
