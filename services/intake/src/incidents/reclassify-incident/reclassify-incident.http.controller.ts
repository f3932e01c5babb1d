import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { reclassifyIncidentRequestSchema, type ReclassifyIncidentRequest } from './reclassify-incident.request';
import { ReclassifyIncidentService } from './reclassify-incident.service';
import { incidentReclassified } from '../../audit/intake-audit';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class ReclassifyIncidentController {
  constructor(private readonly service: ReclassifyIncidentService) {}

  /** Re-flags the behavioral-health coding at any time after dispatch (cit.incident.reclassified.v1). */
  @Put(':id/indicators')
  @HttpCode(200)
  @Roles('officer', 'clinician', 'supervisor', 'admin')
  @ApiZodBody(reclassifyIncidentRequestSchema)
  @ApiResponse({ status: 200, description: 'The coding now in force and the incident version' })
  @AuditWrite(incidentReclassified)
  reclassify(
    @IdParam('id') id: string,
    @Body(new ZodValidationPipe(reclassifyIncidentRequestSchema)) body: ReclassifyIncidentRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.service.reclassify(id, body, principal);
  }
}
