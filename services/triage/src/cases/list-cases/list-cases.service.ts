import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { cursorPage, decodeCursor, encodeCursor, RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ACTIVE_CASE_STATUSES } from '../case-status.machine';
import { CASE_COLUMNS, caseFromRow } from '../case.record';
import { caseSummaryView } from '../case.view';
import type { ListCasesQuery } from './list-cases.query';

// opened_at in PostgreSQL's own text form, so microseconds survive the round trip.
const cursorShape = z.tuple([
  z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/),
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/),
]);

/** Cases of the caller's department, newest first, keyset-paginated. */
@Injectable()
export class ListCasesService {
  constructor(private readonly dataSource: DataSource) {}

  async list(filters: ListCasesQuery, principal: Principal) {
    const where = ['department_id = $1'];
    const params: unknown[] = [principal.departmentId];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filters.status === 'active') add((p) => `status = ANY(${p}::text[])`, ACTIVE_CASE_STATUSES);
    else if (filters.status === 'closed') add((p) => `NOT (status = ANY(${p}::text[]))`, ACTIVE_CASE_STATUSES);
    else if (filters.status) add((p) => `status = ${p}`, filters.status);
    if (filters.personId) add((p) => `person_id = ${p}`, filters.personId);
    if (filters.assignedTo) add((p) => `assigned_to = ${p}`, filters.assignedTo);
    if (filters.cursor) {
      const key = decodeCursor(filters.cursor, cursorShape);
      if (!key)
        throw new RequestValidationError([{ field: 'cursor', detail: 'must be a cursor returned by a previous page' }]);
      params.push(key[0], key[1]);
      where.push(`(opened_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(filters.limit + 1);
    const rows: (Parameters<typeof caseFromRow>[0] & { opened_key: string })[] = await tenantTransaction(
      this.dataSource,
      principal.departmentId,
      (em) =>
        em.query(
          `SELECT ${CASE_COLUMNS}, opened_at::text AS opened_key FROM care_case
            WHERE ${where.join(' AND ')} ORDER BY opened_at DESC, id DESC LIMIT $${params.length}`,
          params,
        ),
    );
    return cursorPage(
      rows,
      filters.limit,
      (last) => encodeCursor([last.opened_key, last.id]),
      (r) => caseSummaryView(caseFromRow(r)),
    );
  }
}
