import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { cursorPage, decodeCursor, encodeCursor, RequestValidationError } from '@cit/service-kit';
import { tenantTransaction } from '@cit/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { ImportJobEntity } from '../import-job.entity';
import { summaryOf } from '../run-import/run-import.service';
import type { GetImportQuery } from './get-import.query';

const cursorShape = z.tuple([z.number().int().min(0)]);

interface LineErrors {
  line: number;
  problems: { field: string | null; reason: string }[];
}

/** An import's status and counters (live while it runs) and its error report, a page of lines at a time. */
@Injectable()
export class GetImportService {
  constructor(private readonly dataSource: DataSource) {}

  async get(id: string, query: GetImportQuery, principal: Principal) {
    return tenantTransaction(this.dataSource, principal.departmentId, (em) => this.read(em, id, query, principal));
  }

  private async read(em: EntityManager, id: string, query: GetImportQuery, principal: Principal) {
    const job = await em.getRepository(ImportJobEntity).findOneBy({ id, departmentId: principal.departmentId });
    if (!job) throw new NotFoundException('import not found');
    let afterLine = 0;
    if (query.errorsCursor) {
      const key = decodeCursor(query.errorsCursor, cursorShape);
      if (!key)
        throw new RequestValidationError([
          { field: 'errorsCursor', detail: 'must be a cursor returned by a previous page' },
        ]);
      afterLine = key[0];
    }
    const [{ total }] = await em.query<{ total: number }[]>(
      'SELECT count(*)::int AS total FROM import_row_error WHERE import_id = $1 AND department_id = $2',
      [id, principal.departmentId],
    );
    // Pages are whole lines, so a line's problems never split across pages.
    const lines = await em.query<LineErrors[]>(
      `SELECT line, jsonb_agg(jsonb_build_object('field', field, 'reason', reason) ORDER BY reason) AS problems
         FROM import_row_error WHERE import_id = $1 AND department_id = $4 AND line > $2
        GROUP BY line ORDER BY line LIMIT $3`,
      [id, afterLine, query.errorLimit + 1, principal.departmentId],
    );
    const page = cursorPage(lines, query.errorLimit, (last) => encodeCursor([last.line]));
    return {
      ...summaryOf(job),
      errors: {
        total,
        items: page.items.flatMap((l) =>
          l.problems.map((p) => ({ line: l.line, field: p.field ?? undefined, reason: p.reason })),
        ),
        nextCursor: page.nextCursor,
      },
    };
  }
}
