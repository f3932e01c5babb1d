import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { cursorPage, decodeCursor, encodeCursor, RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { loadSeriesFor } from '../../series-access';
import { SessionStore } from '../session.store';
import { sessionView } from '../session.view';
import type { ListSessionsQuery } from './list-sessions.query';

const cursorShape = z.tuple([z.iso.datetime(), z.string().min(1).max(64)]);

@Injectable()
export class ListSessionsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(seriesId: string, query: ListSessionsQuery, principal: Principal) {
    const after = query.cursor ? decodeCursor(query.cursor, cursorShape) : undefined;
    if (query.cursor && !after) {
      throw new RequestValidationError([{ field: 'cursor', detail: 'must be a cursor returned by a previous page' }]);
    }
    const dept = principal.departmentId;
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const series = await loadSeriesFor(em, principal, seriesId);
      const rows = await SessionStore.page(em, dept, seriesId, {
        ...(query.from ? { from: new Date(query.from) } : {}),
        ...(query.to ? { to: new Date(query.to) } : {}),
        ...(after ? { after: [after[0], after[1]] as [string, string] } : {}),
        limit: query.limit,
      });
      return cursorPage(
        rows,
        query.limit,
        (last) => encodeCursor([last.startsAt.toISOString(), last.id]),
        (s) => sessionView(series, s),
      );
    });
  }
}
