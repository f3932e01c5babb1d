import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { GetIncidentService } from './get-incident.service';
import { incidentDistrict, incidentRead } from '../../audit/intake-audit';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class GetIncidentController {
  constructor(private readonly getIncident: GetIncidentService) {}

  @Get(':id')
  @Roles('officer', 'clinician', 'coordinator', 'supervisor', 'admin')
  @ApiResponse({ status: 404, description: 'No such incident in the caller’s department' })
  @AuditRead(incidentRead, { breakGlass: { districtOf: incidentDistrict } })
  get(@IdParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.getIncident.get(id, principal);
  }
}
