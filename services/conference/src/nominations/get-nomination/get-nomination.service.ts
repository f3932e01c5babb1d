import { Injectable } from '@nestjs/common';
import { AuditTrail, currentAuditContext } from '@cit/audit';
import type { Principal } from '@cit/auth';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import type { CaseView, CaseViewer } from '../../privacy/case-view';
import { loadCaseViews } from '../../privacy/case-views.store';
import { nominationNotFound } from '../nomination-problems';

/** The viewer a principal is, for case-view.ts. */
export function viewerOf(principal: Principal): CaseViewer {
  return principal.kind === 'partner'
    ? { kind: 'partner', agencyId: principal.agencyId! }
    : { kind: 'staff', roles: principal.roles };
}

/** One nomination as the caller may see it (case-view.ts decides); identity reads are audited with the answer. */
@Injectable()
export class GetNominationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly trail: AuditTrail,
  ) {}

  async get(id: string, principal: Principal): Promise<CaseView & { version?: number }> {
    const dept = principal.departmentId;
    const context = currentAuditContext();
    if (!context) throw new Error('GetNominationService: no audit context (route must be @AuditInService)');
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const views = await loadCaseViews(em, dept, [id], viewerOf(principal), {
        cipher: this.cipher,
        trail: this.trail,
        context,
      });
      const view = views.get(id);
      // Nothing to see and nothing there answer alike: a non-member learns nothing of the case.
      if (!view) throw nominationNotFound();
      if (principal.kind === 'partner') return view;
      const [row]: Array<{ version: number }> = await em.query(
        `SELECT version FROM nomination WHERE department_id = $1 AND id = $2`,
        [dept, id],
      );
      return { ...view, version: row!.version };
    });
  }
}
