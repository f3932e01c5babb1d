import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { cursorPage, decodeCursor, encodeCursor, RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { caseSummary } from '../../privacy/case-view';
import { caseFactsOf, NOMINATION_VIEW_COLUMNS, type NominationViewRow } from '../../privacy/case-views.store';
import type { ListNominationsQuery } from './list-nominations.query';

// created_at in PostgreSQL's own text form, so microseconds survive the round trip.
const cursorShape = z.tuple([
  z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/),
  z.string().regex(/^[a-z]{2,8}_[0-9a-f]{32}$/),
]);

/** Nominations of the caller's department, newest first: de-identified summaries, never identity. */
@Injectable()
export class ListNominationsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(q: ListNominationsQuery, principal: Principal) {
    const where = ['n.department_id = $1'];
    const params: unknown[] = [principal.departmentId];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (q.status) add((p) => `n.status = ${p}`, q.status);
    if (q.source) add((p) => `n.source = ${p}`, q.source);
    if (q.privacyStage) add((p) => `n.privacy_stage = ${p}`, q.privacyStage);
    if (q.riskLevel) add((p) => `n.risk_level = ${p}`, q.riskLevel);
    if (q.personId) add((p) => `n.person_id = ${p}`, q.personId);
    if (q.cursor) {
      const key = decodeCursor(q.cursor, cursorShape);
      if (!key)
        throw new RequestValidationError([{ field: 'cursor', detail: 'must be a cursor returned by a previous page' }]);
      params.push(key[0], key[1]);
      where.push(`(n.created_at, n.id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(q.limit + 1);
    const rows: Array<NominationViewRow & { created_key: string }> = await tenantTransaction(
      this.dataSource,
      principal.departmentId,
      (em) =>
        em.query(
          `SELECT ${NOMINATION_VIEW_COLUMNS}, n.created_at::text AS created_key FROM nomination n
            WHERE ${where.join(' AND ')} ORDER BY n.created_at DESC, n.id DESC LIMIT $${params.length}`,
          params,
        ),
    );
    return cursorPage(
      rows,
      q.limit,
      (last) => encodeCursor([last.created_key, last.id]),
      (r) => caseSummary(caseFactsOf(r, [])),
    );
  }
}
