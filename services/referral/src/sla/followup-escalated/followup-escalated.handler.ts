import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { newId, type CloudEvent, type FollowupEscalated } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import { WebhookDispatcher } from '../../delivery/webhook-dispatcher';
import { ReferralWorkflow } from '../../referrals/referral-workflow.service';
import { ReferralStore } from '../../referrals/referral.store';

/**
 * cit.followup.escalated.v1 for a referral SLA: re-route to the next candidate (escalatedTo
 * rerouting) or alert the supervisor. A referral no longer waiting (received/accepted in time,
 * already re-routed) is left alone, so a late or repeated escalation changes nothing.
 */
@Controller()
export class FollowupEscalatedHandler {
  private readonly logger = createLogger('followup-escalated');

  constructor(
    private readonly workflow: ReferralWorkflow,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  @EventPattern('cit.followup.escalated.v1')
  async handle(@Payload() event: CloudEvent<FollowupEscalated>, @Ctx() ctx: InboxContext): Promise<void> {
    const d = event.data;
    if (d.kind !== 'referral-sla' || !d.referralId) return;
    const dept = event.departmentid;
    const r = await ReferralStore.get(ctx.manager, dept, d.referralId, true);
    if (!r) return;
    if (d.escalatedTo !== 'rerouting') {
      await ReferralStore.alert(ctx.manager, dept, {
        id: newId('alr'),
        kind: d.reason,
        audience: 'supervisor',
        agencyId: r.agencyId,
        referralId: r.id,
      });
      return;
    }
    const reason = d.reason === 'sla-not-received' ? 'sla-not-received' : 'sla-not-accepted';
    const result = await this.workflow.escalate(ctx.manager, r, reason, {
      party: 'system',
      subject: 'referral:followup-escalated',
      correlationId: event.correlationid,
      causationId: event.id,
    });
    await this.webhooks.enqueue(dept, result.deliveries, { delayMs: 250 });
    this.logger.info({ referralId: r.id, reason }, 'referral SLA escalation handled');
  }
}
