import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent, ConferenceNominationRequested } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import { TriageNominationService } from './triage-nomination.service';

/** cit.conference.nomination-requested.v1 (triage) → an open nomination, placed on an agenda in the inbox transaction. */
@Controller()
export class NominationRequestedHandler {
  private readonly logger = createLogger('nomination-requested');

  constructor(private readonly nominations: TriageNominationService) {}

  @EventPattern('cit.conference.nomination-requested.v1')
  async handle(@Payload() event: CloudEvent<ConferenceNominationRequested>, @Ctx() ctx: InboxContext): Promise<void> {
    const nominationId = await this.nominations.request(
      ctx.manager,
      { departmentId: event.departmentid, correlationId: event.correlationid, causationId: event.id },
      event.data,
    );
    this.logger.info(
      { eventId: event.id, nominationRequestId: event.data.nominationRequestId, nominationId },
      nominationId ? 'nomination recorded' : 'nomination request already taken',
    );
  }
}
