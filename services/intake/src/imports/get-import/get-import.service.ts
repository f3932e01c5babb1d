import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { DataSource } from 'typeorm';
import { ImportJobEntity } from '../import-job.entity';
import { summaryOf } from '../run-import/run-import.service';
import type { GetImportQuery } from './get-import.request';

/** An import's status and counters (live while it runs) and its error report, a page at a time. */
@Injectable()
export class GetImportService {
  constructor(private readonly dataSource: DataSource) {}

  async get(id: string, query: GetImportQuery, principal: Principal) {
    const job = await this.dataSource.getRepository(ImportJobEntity).findOneBy({ id, departmentId: principal.departmentId });
    if (!job) throw new NotFoundException('import not found');
    const [{ total }] = await this.dataSource.query<{ total: number }[]>('SELECT count(*)::int AS total FROM import_row_error WHERE import_id = $1', [id]);
    // Pages end on a line boundary so a line's problems never split across pages.
    const items = await this.dataSource.query<{ line: number; field: string | null; reason: string }[]>(
      `SELECT line, field, reason FROM import_row_error
        WHERE import_id = $1 AND line > $2 AND line <= (
          SELECT coalesce(max(line), $2) FROM (SELECT line FROM import_row_error WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3) l)
        ORDER BY line, reason`,
      [id, query.errorsAfterLine, query.errorLimit],
    );
    const last = items[items.length - 1];
    return {
      ...summaryOf(job),
      errors: {
        total,
        items: items.map((e) => ({ line: e.line, field: e.field ?? undefined, reason: e.reason })),
        nextAfterLine: last && (await this.hasMore(id, last.line)) ? last.line : undefined,
      },
    };
  }

  private async hasMore(id: string, afterLine: number): Promise<boolean> {
    const rows = await this.dataSource.query('SELECT 1 FROM import_row_error WHERE import_id = $1 AND line > $2 LIMIT 1', [id, afterLine]);
    return rows.length > 0;
  }
}
