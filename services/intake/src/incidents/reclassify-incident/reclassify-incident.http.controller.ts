import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { ReviewScreener } from '../../review-queue/review-screener.service';
import { IncidentCodingService } from './incident-coding.service';
import { reclassifyIncidentRequestSchema, type ReclassifyIncidentRequest } from './reclassify-incident.request';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class ReclassifyIncidentController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly coding: IncidentCodingService,
    private readonly screener: ReviewScreener,
  ) {}

  /** Re-flags the behavioral-health coding at any time after dispatch (cit.incident.reclassified.v1). */
  @Put(':id/indicators')
  @HttpCode(200)
  @Roles('officer', 'clinician', 'supervisor', 'admin')
  @ApiZodBody(reclassifyIncidentRequestSchema)
  @ApiResponse({ status: 200, description: 'The coding now in force and the incident version' })
  async reclassify(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(reclassifyIncidentRequestSchema)) body: ReclassifyIncidentRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.dataSource.transaction(async (em) => {
      const result = await this.coding.reclassify(em, {
        departmentId: principal.departmentId,
        incidentId: id,
        coding: body.behavioralHealth,
        origin: 'manual',
        actorId: principal.subject,
        reasonCode: body.reason.code,
        reasonNote: body.reason.note,
      });
      // A pending review item the new coding answers needs no one's decision any more.
      await this.screener.resolveOnReclassify(em, principal.departmentId, id, body.behavioralHealth, principal.subject);
      return { incidentId: id, behavioralHealth: body.behavioralHealth, version: result.version, changed: result.changed };
    });
  }
}
