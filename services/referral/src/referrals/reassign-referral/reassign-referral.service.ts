import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId, type AgeRange, type RiskLevel } from '@cit/contracts';
import { currentContext } from '@cit/observability';
import { FieldCipher } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { ReferralRunner } from '../referral-runner';
import { departmentView, packetOf } from '../referral-views';
import { ReferralWorkflow, type Actor } from '../referral-workflow.service';
import { ReferralStore } from '../referral.store';
import type { CancelReferralRequest, ReassignReferralRequest } from './reassign-referral.request';

/** Department actions on a referral: choose another candidate (cancels this one), or cancel. */
@Injectable()
export class ReassignReferralService {
  constructor(
    private readonly runner: ReferralRunner,
    private readonly workflow: ReferralWorkflow,
    private readonly cipher: FieldCipher,
  ) {}

  private actor(p: Principal): Actor {
    return { party: 'department', subject: p.subject, correlationId: currentContext()?.correlationId ?? newId('corr') };
  }

  async reassign(id: string, body: ReassignReferralRequest, p: Principal) {
    const result = await this.runner.run(p.departmentId, async (em) => {
      const r = await ReferralStore.get(em, p.departmentId, id, true);
      if (!r) throw new ProblemException(ProblemType.notFound, 404, 'Not found');
      if (r.agencyId === body.agencyId)
        throw new ProblemException(ProblemType.conflict, 409, 'Conflict', 'the referral is already with that agency');
      // Route first: a choice that is not a candidate changes nothing.
      const routed = await this.workflow.route(
        em,
        p.departmentId,
        {
          requestId: r.requestId,
          triageId: r.triageId ?? undefined,
          personId: r.personId ?? undefined,
          caseId: r.caseId ?? undefined,
          needs: r.needs,
          kinds: r.kinds,
          urgency: r.urgency,
          riskLevel: r.riskLevel as RiskLevel,
          language: r.language ?? undefined,
          ageRange: r.ageRange as AgeRange,
          area: r.area ?? undefined,
          imminentThreatFlag: r.imminentThreatFlag,
          packet: packetOf(this.cipher, r),
          agencyId: body.agencyId,
          attempt: r.attempt + 1,
          reroutedFrom: r.id,
        },
        this.actor(p),
      );
      const cancelled = await this.workflow.changeStatus(em, r, 'cancelled', this.actor(p), { reasonCode: 'rerouted' });
      await ReferralStore.setReroutedTo(em, p.departmentId, r.id, routed.referrals[0]!.id);
      return { deliveries: [...routed.deliveries, ...cancelled.deliveries], referral: routed.referrals[0]! };
    });
    return departmentView(result.referral, []);
  }

  async cancel(id: string, body: CancelReferralRequest, p: Principal) {
    await this.runner.run(p.departmentId, async (em) => {
      const r = await ReferralStore.get(em, p.departmentId, id, true);
      if (!r) throw new ProblemException(ProblemType.notFound, 404, 'Not found');
      return this.workflow.changeStatus(em, r, 'cancelled', this.actor(p), { reasonCode: body.reasonCode });
    });
    return { referralId: id, status: 'cancelled' };
  }
}
