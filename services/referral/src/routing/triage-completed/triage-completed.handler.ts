import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent, TriageCompleted } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import { WebhookDispatcher } from '../../delivery/webhook-dispatcher';
import { ReferralWorkflow } from '../../referrals/referral-workflow.service';
import { ReferralStore } from '../../referrals/referral.store';
import { routeInputFromTriage } from './triage-routing';

/** cit.triage.completed.v1 with a referral or mobile-crisis pathway → route to partner agencies; a superseding decision withdraws the earlier one's referrals. */
@Controller()
export class TriageCompletedHandler {
  private readonly logger = createLogger('triage-completed');

  constructor(
    private readonly workflow: ReferralWorkflow,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  @EventPattern('cit.triage.completed.v1')
  async handle(@Payload() event: CloudEvent<TriageCompleted>, @Ctx() ctx: InboxContext): Promise<void> {
    const actor = {
      party: 'system' as const,
      subject: 'referral:triage-completed',
      correlationId: event.correlationid,
      causationId: event.id,
    };
    const deliveries: string[] = [];
    // A decision that replaces an earlier one (reclassification, supervisor override) withdraws
    // the referrals the earlier one made; the new decision routes afresh.
    if (event.data.supersedes) {
      for (const r of await ReferralStore.openForTriage(ctx.manager, event.departmentid, event.data.supersedes)) {
        const change = await this.workflow.changeStatus(ctx.manager, r, 'cancelled', actor, {
          reasonCode: 'superseded',
        });
        deliveries.push(...change.deliveries);
      }
    }
    const input = routeInputFromTriage(event.data);
    if (input) {
      const result = await this.workflow.route(ctx.manager, event.departmentid, input, actor);
      deliveries.push(...result.deliveries);
      this.logger.info(
        { triageId: event.data.triageId, requestId: result.requestId, referrals: result.referrals.length },
        'triage decision routed',
      );
    } else {
      this.logger.debug({ triageId: event.data.triageId, eventId: event.id }, 'triage decision needs no referral now');
    }
    // The delivery rows commit with this handler's transaction, after this returns: the jobs are
    // delayed a little, and a job that finds no row yet retries (webhook-dispatcher).
    await this.webhooks.enqueue(event.departmentid, deliveries, { delayMs: 250 });
  }
}
