import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent, IncidentReported } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import { TriageDecider } from '../../decisions/triage-decider.service';

/**
 * cit.incident.reported.v1 → triage decides in the inbox transaction: the incident, its
 * decision, the case it opens or joins and cit.triage.completed.v1 commit with the inbox row.
 */
@Controller()
export class IncidentReportedHandler {
  private readonly logger = createLogger('incident-reported');

  constructor(private readonly decider: TriageDecider) {}

  @EventPattern('cit.incident.reported.v1')
  async handle(@Payload() event: CloudEvent<IncidentReported>, @Ctx() ctx: InboxContext): Promise<void> {
    const decision = await this.decider.onReported(
      ctx.manager,
      {
        departmentId: event.departmentid,
        correlationId: event.correlationid,
        causationId: event.id,
        eventId: event.id,
      },
      event.data,
    );
    // Per-event line on the hot path: debug only (catch-up runs thousands a second).
    this.logger.debug(
      { incidentId: event.data.incidentId, eventId: event.id, decisionId: decision?.id, status: decision?.status },
      decision ? 'incident triaged' : 'incident already known',
    );
  }
}
