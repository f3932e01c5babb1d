import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CaseClosed, CloudEvent } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import { WebhookDispatcher } from '../../delivery/webhook-dispatcher';
import { ReferralWorkflow } from '../referral-workflow.service';
import { ReferralStore } from '../referral.store';

/** cit.case.closed.v1 → every open referral of the case is cancelled (reason case-closed); partners are told. */
@Controller()
export class CaseClosedHandler {
  private readonly logger = createLogger('case-closed');

  constructor(
    private readonly workflow: ReferralWorkflow,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  @EventPattern('cit.case.closed.v1')
  async handle(@Payload() event: CloudEvent<CaseClosed>, @Ctx() ctx: InboxContext): Promise<void> {
    const open = await ReferralStore.openForCase(ctx.manager, event.departmentid, event.data.caseId);
    const deliveries: string[] = [];
    for (const r of open) {
      const change = await this.workflow.changeStatus(
        ctx.manager,
        r,
        'cancelled',
        { party: 'system', subject: 'referral:case-closed', correlationId: event.correlationid, causationId: event.id },
        { reasonCode: 'case-closed' },
      );
      deliveries.push(...change.deliveries);
    }
    await this.webhooks.enqueue(event.departmentid, deliveries, { delayMs: 250 });
    this.logger.info({ caseId: event.data.caseId, cancelled: open.length }, 'case closed: open referrals cancelled');
  }
}
