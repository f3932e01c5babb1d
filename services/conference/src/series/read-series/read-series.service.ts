import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { loadSeriesFor } from '../series-access';
import { SeriesStore } from '../series.store';
import { seriesView } from '../series.view';
import type { ListSeriesQuery } from './read-series.query';

@Injectable()
export class ReadSeriesService {
  constructor(private readonly dataSource: DataSource) {}

  /** The department's series; a partner sees only those its agency is a member of. */
  async list(query: ListSeriesQuery, principal: Principal) {
    const dept = principal.departmentId;
    const items = await tenantTransaction(this.dataSource, dept, (em) =>
      SeriesStore.list(em, dept, {
        ...(principal.kind === 'partner' ? { memberAgencyId: principal.agencyId } : {}),
        ...(query.status ? { status: query.status } : {}),
      }),
    );
    return { items: items.map(seriesView) };
  }

  async get(id: string, principal: Principal) {
    const dept = principal.departmentId;
    return seriesView(await tenantTransaction(this.dataSource, dept, (em) => loadSeriesFor(em, principal, id)));
  }
}
