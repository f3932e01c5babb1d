import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { createLogger } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { actorOf } from '../actor';
import { requestChangeContext } from '../change-context';
import { loadSeriesFor } from '../series-access';
import { seriesEnded, seriesVersionConflict } from '../series.problems';
import { SeriesStore } from '../series.store';
import { seriesView } from '../series.view';
import { SessionStore } from '../sessions/session.store';
import { SessionWriter } from '../sessions/session-writer';
import type { EndSeriesRequest } from './end-series.request';

@Injectable()
export class EndSeriesService {
  private readonly logger = createLogger('series');

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: SessionWriter,
  ) {}

  /** Ends the series: no new sessions; future ones are cancelled and their cases move. Past sessions stay. */
  async end(id: string, body: EndSeriesRequest, principal: Principal) {
    const dept = principal.departmentId;
    const ctx = requestChangeContext(principal, id);
    const result = await tenantTransaction(this.dataSource, dept, async (em) => {
      const current = await loadSeriesFor(em, principal, id, true);
      if (body.expectedVersion !== undefined && current.version !== body.expectedVersion) {
        throw seriesVersionConflict(current.version, body.expectedVersion);
      }
      if (current.status === 'ended') throw seriesEnded();
      const now = new Date();
      await SeriesStore.update(em, { ...current, status: 'ended', endedAt: now }, actorOf(principal));
      const saved = (await SeriesStore.get(em, dept, id))!;
      const future = await SessionStore.future(em, dept, id, now);
      const done = await this.writer.apply(
        em,
        saved,
        future.filter((s) => s.status === 'scheduled').map((s) => ({ kind: 'cancel' as const, id: s.id })),
        ctx,
        body.reason,
      );
      return { saved, cancelled: done.cancelled.length };
    });
    this.logger.info({ departmentId: dept, seriesId: id, cancelled: result.cancelled }, 'series ended');
    return { ...seriesView(result.saved), sessionsCancelled: result.cancelled };
  }
}
