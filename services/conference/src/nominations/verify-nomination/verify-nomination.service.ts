import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { allowedActions, isAllowed } from '../domain/nomination-status';
import { normalizeRiskFactors } from '../domain/risk-factors';
import { actionNotAllowed, assertExpectedVersion } from '../nomination-problems';
import { actorOf, changedRows, lockNomination, requestSchedulingContext } from '../nomination.record';
import { NominationWriter, recordPresentation } from '../nomination-writer.service';
import type { VerifyNominationRequest } from './verify-nomination.request';

/** What a verification answers: the nomination's new state (and the open one it joined, if any). */
export interface VerificationResult {
  nominationId: string;
  status: 'open' | 'closed' | 'rejected';
  closedStatus: string | null;
  linkedNominationId: string | null;
  version: number;
}

/**
 * Verification of a pending nomination (family form). Accepting opens it — unless the person
 * has an open nomination by now, in which case it closes as 'duplicate', linked to that one:
 * one open nomination per person, whoever nominated first.
 */
@Injectable()
export class VerifyNominationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: NominationWriter,
  ) {}

  async verify(id: string, req: VerifyNominationRequest, principal: Principal): Promise<VerificationResult> {
    const dept = principal.departmentId;
    const by = actorOf(principal);
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const n = await lockNomination(em, dept, id);
      const action = req.decision === 'accept' ? 'verify' : 'reject';
      if (!isAllowed(action, n.status, n.privacy_stage)) {
        throw actionNotAllowed(action, n.status, allowedActions(n.status, n.privacy_stage));
      }
      assertExpectedVersion(n.version, req.expectedVersion);
      if (req.decision === 'reject') {
        const [row] = await changedRows<{ version: number }>(
          em,
          `UPDATE nomination SET status = 'rejected', rejection_reason = $3, verified_at = now(), verified_by = $4,
                  closed_at = now(), closed_status = 'rejected', updated_at = now(), version = version + 1
            WHERE department_id = $1 AND id = $2 RETURNING version`,
          [dept, id, req.reason, by],
        );
        return {
          nominationId: id,
          status: 'rejected',
          closedStatus: 'rejected',
          linkedNominationId: null,
          version: row!.version,
        };
      }
      const riskFactors = req.riskFactors ? normalizeRiskFactors(req.riskFactors) : n.risk_factors;
      if (riskFactors.length === 0) {
        throw new RequestValidationError([
          { field: 'riskFactors', detail: 'the nomination has no risk factors yet: name at least one to accept it' },
        ]);
      }
      const open = await this.writer.openNominationOf(em, dept, n.person_key);
      const status = open ? 'closed' : 'open';
      const [row] = await changedRows<{ version: number }>(
        em,
        `UPDATE nomination SET status = $3, risk_level = COALESCE($4, risk_level), risk_factors = $5::text[],
                risk_factor_count = $6, age_range = COALESCE($7, age_range), gender = COALESCE($8, gender),
                verified_at = now(), verified_by = $9, linked_nomination_id = COALESCE($10, linked_nomination_id),
                closed_at = CASE WHEN $3 = 'closed' THEN now() END,
                closed_status = CASE WHEN $3 = 'closed' THEN 'duplicate' END,
                updated_at = now(), version = version + 1
          WHERE department_id = $1 AND id = $2 RETURNING version`,
        [
          dept,
          id,
          status,
          req.riskLevel ?? null,
          riskFactors,
          riskFactors.length,
          req.ageRange ?? null,
          req.gender ?? null,
          by,
          open?.id ?? null,
        ],
      );
      await recordPresentation(em, dept, id, by);
      if (!open) await this.writer.opened(em, requestSchedulingContext(dept));
      return {
        nominationId: id,
        status,
        closedStatus: open ? 'duplicate' : null,
        linkedNominationId: open?.id ?? null,
        version: row!.version,
      };
    });
  }
}
