import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { CrisisPlanStore } from '../crisis-plan.store';

/** The versions of a person's crisis plan, newest first (when and by whom; content only through the version read). */
@Injectable()
export class ListCrisisPlanVersionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: CrisisPlanStore,
  ) {}

  async list(personId: string, principal: Principal) {
    const departmentId = principal.departmentId;
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const rows: {
        id: string;
        version: number;
        review_date: string;
        written_at: Date;
        written_by: string;
        retired_at: Date | null;
      }[] = await em.query(
        `SELECT id, version, review_date::text AS review_date, written_at, written_by, retired_at
           FROM crisis_plan WHERE department_id = $1 AND person_id = $2 ORDER BY version DESC`,
        [departmentId, personId],
      );
      if (rows.length === 0) throw new NotFoundException('the person has no crisis plan');
      return {
        personId,
        items: rows.map((r) => ({
          id: r.id,
          version: r.version,
          reviewDate: r.review_date,
          writtenAt: r.written_at.toISOString(),
          writtenBy: r.written_by,
          retiredAt: r.retired_at?.toISOString(),
        })),
      };
    });
  }

  /** One version with its content (an earlier plan, e.g. to see what changed). */
  async version(personId: string, version: number, principal: Principal) {
    const departmentId = principal.departmentId;
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const row = await this.store.version(em, departmentId, personId, version);
      if (!row) throw new NotFoundException('no such version of the person’s crisis plan');
      return { ...this.store.view(row, personId), retiredAt: row.retired_at?.toISOString() };
    });
  }
}
