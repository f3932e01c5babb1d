import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent, MouChanged } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import { AgencyStore } from '../agency.store';

/** cit.referral.mou-changed.v1 → conference_agency (the highest revision of each MOU wins). */
@Controller()
export class MouChangedHandler {
  private readonly logger = createLogger('mou-changed');

  @EventPattern('cit.referral.mou-changed.v1')
  async handle(@Payload() event: CloudEvent<MouChanged>, @Ctx() ctx: InboxContext): Promise<void> {
    const d = event.data;
    const applied = await AgencyStore.applyMouChange(ctx.manager, event.departmentid, d);
    this.logger.info(
      { agencyId: d.agencyId, mouId: d.mouId, revision: d.revision, applied },
      applied ? 'member agency MOU recorded' : 'older MOU revision ignored',
    );
  }
}
