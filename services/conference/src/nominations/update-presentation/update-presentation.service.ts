import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { caseSummary } from '../../privacy/case-view';
import { caseFactsOf } from '../../privacy/case-views.store';
import { allowedActions, isAllowed } from '../domain/nomination-status';
import { normalizeRiskFactors } from '../domain/risk-factors';
import { actionNotAllowed, assertExpectedVersion } from '../nomination-problems';
import { actorOf, changedRows, lockNomination, NOMINATION_COLUMNS, type NominationRow } from '../nomination.record';
import { recordPresentation } from '../nomination-writer.service';
import type { UpdatePresentationRequest } from './update-presentation.request';

/** Changes the de-identified presentation while the case is still de-identified; each change is a filter-1 step. */
@Injectable()
export class UpdatePresentationService {
  constructor(private readonly dataSource: DataSource) {}

  async update(id: string, req: UpdatePresentationRequest, principal: Principal) {
    const dept = principal.departmentId;
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const n = await lockNomination(em, dept, id);
      if (!isAllowed('update-presentation', n.status, n.privacy_stage)) {
        throw actionNotAllowed('update-presentation', n.status, allowedActions(n.status, n.privacy_stage));
      }
      assertExpectedVersion(n.version, req.expectedVersion);
      const factors = req.riskFactors ? normalizeRiskFactors(req.riskFactors) : null;
      const [row] = await changedRows<NominationRow>(
        em,
        `UPDATE nomination n SET age_range = COALESCE($3, age_range), gender = COALESCE($4, gender),
                risk_factors = COALESCE($5::text[], risk_factors),
                risk_factor_count = COALESCE($6, risk_factor_count), risk_level = COALESCE($7, risk_level),
                reason_code = COALESCE($8, reason_code), series_kind = COALESCE($9, series_kind),
                updated_at = now(), version = version + 1
          WHERE n.department_id = $1 AND n.id = $2 RETURNING ${NOMINATION_COLUMNS}`,
        [
          dept,
          id,
          req.ageRange ?? null,
          req.gender ?? null,
          factors,
          factors?.length ?? null,
          req.riskLevel ?? null,
          req.reasonCode ?? null,
          req.seriesKind ?? null,
        ],
      );
      await recordPresentation(em, dept, id, actorOf(principal));
      return { ...caseSummary(caseFactsOf(row!, [])), version: row!.version };
    });
  }
}
