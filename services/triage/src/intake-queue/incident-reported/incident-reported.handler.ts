import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent, IncidentReported } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { createLogger } from '@cit/observability';
import { TriageIntakeEntity } from '../triage-intake.entity';

/** cit.incident.reported.v1 → the incident joins its department's triage queue. */
@Controller()
export class IncidentReportedHandler {
  private readonly logger = createLogger('incident-reported');

  @EventPattern('cit.incident.reported.v1')
  async handle(@Payload() event: CloudEvent<IncidentReported>, @Ctx() ctx: InboxContext): Promise<void> {
    await ctx.manager
      .createQueryBuilder()
      .insert()
      .into(TriageIntakeEntity)
      .values({
        incidentId: event.data.incidentId,
        departmentId: event.departmentid,
        sourceEventId: event.id,
        correlationId: event.correlationid,
        callType: event.data.callType,
        bhRelatedTo: event.data.behavioralHealth.relatedTo,
        bhObservations: event.data.behavioralHealth.observations,
        subjectCount: event.data.subjects.length,
        occurredAt: new Date(event.data.occurredAt),
        status: 'awaiting-triage',
      })
      .orIgnore()
      .execute();
    this.logger.info({ incidentId: event.data.incidentId, eventId: event.id }, 'incident queued for triage');
  }
}
