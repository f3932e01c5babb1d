import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { currentContext } from '@cit/observability';
import { ReferralRunner } from '../referral-runner';
import { departmentView } from '../referral-views';
import { ReferralWorkflow } from '../referral-workflow.service';
import type { CreateReferralRequest } from './create-referral.request';

@Injectable()
export class CreateReferralService {
  constructor(
    private readonly runner: ReferralRunner,
    private readonly workflow: ReferralWorkflow,
  ) {}

  async create(body: CreateReferralRequest, p: Principal) {
    const result = await this.runner.run(p.departmentId, (em) =>
      this.workflow.route(
        em,
        p.departmentId,
        {
          personId: body.personId,
          caseId: body.caseId,
          needs: body.needs,
          kinds: body.kinds,
          urgency: body.urgency,
          riskLevel: body.riskLevel,
          language: body.language,
          ageRange: body.ageRange,
          area: body.area,
          imminentThreatFlag: body.imminentThreat,
          packet: body.packet,
          agencyId: body.agencyId,
        },
        { party: 'department', subject: p.subject, correlationId: currentContext()?.correlationId ?? newId('corr') },
      ),
    );
    return {
      requestId: result.requestId,
      noCandidate: result.noCandidate,
      referrals: result.referrals.map((r) => departmentView(r, [])),
      candidates: result.decision.candidates,
      excluded: result.decision.excluded,
    };
  }
}
