import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent, IncidentReclassified } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import { TriageDecider } from '../triage-decider.service';

/** cit.incident.reclassified.v1 → triage runs again and the new decision supersedes the current one. */
@Controller()
export class IncidentReclassifiedHandler {
  private readonly logger = createLogger('incident-reclassified');

  constructor(private readonly decider: TriageDecider) {}

  @EventPattern('cit.incident.reclassified.v1')
  async handle(@Payload() event: CloudEvent<IncidentReclassified>, @Ctx() ctx: InboxContext): Promise<void> {
    const decision = await this.decider.onReclassified(
      ctx.manager,
      { departmentId: event.departmentid, correlationId: event.correlationid, causationId: event.id },
      event.data,
    );
    this.logger.debug(
      {
        incidentId: event.data.incidentId,
        eventId: event.id,
        decisionId: decision?.id,
        supersedes: decision?.supersedesId,
      },
      decision ? 'incident triaged again' : 'reclassification changes no decision',
    );
  }
}
