import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { currentContext } from '@cit/observability';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { ReferralRunner } from '../referral-runner';
import { ReferralWorkflow } from '../referral-workflow.service';
import { ReferralStore } from '../referral.store';
import type { PartnerStatusRequest } from './partner-status.request';

@Injectable()
export class PartnerStatusService {
  constructor(
    private readonly runner: ReferralRunner,
    private readonly workflow: ReferralWorkflow,
  ) {}

  async change(id: string, body: PartnerStatusRequest, p: Principal) {
    const result = await this.runner.run(p.departmentId, async (em) => {
      const r = await ReferralStore.get(em, p.departmentId, id, true);
      if (!r || r.agencyId !== p.agencyId) throw new ProblemException(ProblemType.notFound, 404, 'Not found');
      const change = await this.workflow.changeStatus(
        em,
        r,
        body.status,
        { party: 'partner', subject: p.subject, correlationId: currentContext()?.correlationId ?? newId('corr') },
        { reasonCode: body.reasonCode, outcome: body.outcome },
      );
      return { ...change, from: r.status };
    });
    return { referralId: id, from: result.from, status: body.status, outcome: body.outcome ?? null };
  }
}
