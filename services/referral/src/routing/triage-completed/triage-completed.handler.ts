import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent, TriageCompleted } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import { WebhookDispatcher } from '../../delivery/webhook-dispatcher';
import { ReferralWorkflow } from '../../referrals/referral-workflow.service';
import { routeInputFromTriage } from './triage-routing';

/** cit.triage.completed.v1 with a referral or mobile-crisis pathway → route to partner agencies. */
@Controller()
export class TriageCompletedHandler {
  private readonly logger = createLogger('triage-completed');

  constructor(
    private readonly workflow: ReferralWorkflow,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  @EventPattern('cit.triage.completed.v1')
  async handle(@Payload() event: CloudEvent<TriageCompleted>, @Ctx() ctx: InboxContext): Promise<void> {
    const input = routeInputFromTriage(event.data);
    if (!input) {
      this.logger.debug({ triageId: event.data.triageId, eventId: event.id }, 'triage decision needs no referral now');
      return;
    }
    const result = await this.workflow.route(ctx.manager, event.departmentid, input, {
      party: 'system',
      subject: 'referral:triage-completed',
      correlationId: event.correlationid,
      causationId: event.id,
    });
    // The delivery rows commit with this handler's transaction, after this returns: the jobs are
    // delayed a little, and a job that finds no row yet retries (webhook-dispatcher).
    await this.webhooks.enqueue(event.departmentid, result.deliveries, { delayMs: 250 });
    this.logger.info(
      { triageId: event.data.triageId, requestId: result.requestId, referrals: result.referrals.length },
      'triage decision routed',
    );
  }
}
