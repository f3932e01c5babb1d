import { Body, Controller, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { correctIncidentRequestSchema, type CorrectIncidentRequest } from './correct-incident.request';
import { CorrectIncidentService } from './correct-incident.service';
import { incidentCorrected } from '../../audit/intake-audit';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class CorrectIncidentController {
  constructor(private readonly corrections: CorrectIncidentService) {}

  @Patch(':id')
  @Roles('officer', 'supervisor', 'admin')
  @ApiZodBody(correctIncidentRequestSchema)
  @ApiResponse({ status: 200, description: 'Corrected; cit.incident.updated.v1 emitted with the changed field names' })
  @AuditWrite(incidentCorrected)
  correct(
    @IdParam('id') id: string,
    @Body(new ZodValidationPipe(correctIncidentRequestSchema)) body: CorrectIncidentRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.corrections.correct(id, body, principal);
  }
}
