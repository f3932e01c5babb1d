import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { newId } from '@cit/contracts';
import { createLogger } from '@cit/observability';
import { systemScopeTransaction, tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { WebhookDispatcher } from '../../delivery/webhook-dispatcher';
import { REFERRAL_OPTIONS, type ReferralOptions } from '../../referral-options';
import { ReferralWorkflow } from '../../referrals/referral-workflow.service';
import { ReferralStore } from '../../referrals/referral.store';
import { slaBreach } from '../sla';

/**
 * The SLA clock: every slaSweepIntervalMs, referrals still requested or received past their
 * deadline are cancelled (reason sla-not-received / sla-not-accepted), the coordinator alerted,
 * and the next candidate gets a new referral; with none left the supervisor is alerted.
 * Followup's escalations take the same path; whichever comes first wins, the other finds the
 * referral already handled. Also re-enqueues webhook deliveries that have no job.
 */
@Injectable()
export class SlaSweepService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = createLogger('sla-sweep');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly workflow: ReferralWorkflow,
    private readonly webhooks: WebhookDispatcher,
    @Inject(REFERRAL_OPTIONS) private readonly options: ReferralOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.slaSweepIntervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((err: Error) => this.logger.error({ err: { message: err.message } }, 'SLA sweep failed'))
        .finally(() => (this.running = undefined));
    }, this.options.slaSweepIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass; returns how many referrals were escalated. */
  async sweep(now = new Date()): Promise<number> {
    const due = (await systemScopeTransaction(this.dataSource, 'referral-sla', (em) =>
      em.query(
        `SELECT department_id, id FROM referral
          WHERE status IN ('requested', 'received') AND sla_escalated_at IS NULL AND rerouted_to IS NULL
            AND (accept_by <= $1 OR (status = 'requested' AND receive_by <= $1))
          ORDER BY accept_by LIMIT 500`,
        [now],
      ),
    )) as { department_id: string; id: string }[];
    let escalated = 0;
    for (const { department_id: dept, id } of due) {
      const deliveries = await tenantTransaction(this.dataSource, dept, async (em) => {
        const r = await ReferralStore.get(em, dept, id, true);
        if (!r) return [];
        const breach = slaBreach(r.status, { receiveBy: r.receiveBy, acceptBy: r.acceptBy }, now);
        if (!breach) return [];
        escalated++;
        const result = await this.workflow.escalate(em, r, breach, {
          party: 'system',
          subject: 'referral:sla-sweep',
          correlationId: newId('corr'),
        });
        return result.deliveries;
      });
      await this.webhooks.enqueue(dept, deliveries);
    }
    const orphans = (await systemScopeTransaction(this.dataSource, 'referral-sla', (em) =>
      em.query(
        `SELECT department_id, id FROM webhook_delivery
          WHERE status = 'pending' AND attempts = 0 AND created_at < $1::timestamptz - interval '30 seconds'
          ORDER BY seq LIMIT 1000`,
        [now],
      ),
    )) as { department_id: string; id: string }[];
    for (const dept of new Set(orphans.map((o) => o.department_id)))
      await this.webhooks.enqueue(
        dept,
        orphans.filter((o) => o.department_id === dept).map((o) => o.id),
      );
    if (escalated) this.logger.info({ escalated }, 'referral SLA breaches escalated');
    return escalated;
  }
}
