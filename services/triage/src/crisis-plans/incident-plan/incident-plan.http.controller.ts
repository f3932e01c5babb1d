import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { incidentCrisisPlanRead } from '../crisis-plans-audit';
import { IncidentCrisisPlanService } from './incident-plan.service';

@ApiTags('crisis plans')
@ApiBearerAuth()
@Controller('v1/incidents')
export class IncidentCrisisPlanController {
  constructor(private readonly plans: IncidentCrisisPlanService) {}

  /** The crisis response plan of the person on the incident; CJIS-cleared officers and supervisors; every read audited. */
  @Get(':incidentId/crisis-plan')
  @Roles('officer', 'supervisor')
  @ApiResponse({ status: 403, description: 'The caller is not CJIS-cleared (problem type cjis-clearance-required)' })
  @ApiResponse({ status: 404, description: 'No such incident, no identified person, or no plan' })
  @AuditRead(incidentCrisisPlanRead)
  read(@IdParam('incidentId', 'inc') incidentId: string, @CurrentPrincipal() principal: Principal) {
    return this.plans.read(incidentId, principal);
  }
}
