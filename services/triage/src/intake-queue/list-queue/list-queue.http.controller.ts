import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { DataSource } from 'typeorm';
import { TriageIntakeEntity } from '../triage-intake.entity';

@ApiTags('triage')
@ApiBearerAuth()
@Controller('v1/triage-queue')
export class ListQueueController {
  constructor(private readonly dataSource: DataSource) {}

  /** Incidents of the caller's department awaiting triage, oldest first. */
  @Get()
  @Roles('clinician', 'coordinator', 'supervisor', 'admin')
  async list(@CurrentPrincipal() principal: Principal) {
    const items = await this.dataSource.getRepository(TriageIntakeEntity).find({
      where: { departmentId: principal.departmentId, status: 'awaiting-triage' },
      order: { occurredAt: 'ASC' },
      take: 200,
    });
    return {
      items: items.map((i) => ({
        incidentId: i.incidentId,
        callType: i.callType,
        behavioralHealth: { relatedTo: i.bhRelatedTo, observations: i.bhObservations },
        subjectCount: i.subjectCount,
        occurredAt: i.occurredAt.toISOString(),
        receivedAt: i.receivedAt.toISOString(),
        sourceEventId: i.sourceEventId,
      })),
    };
  }
}
