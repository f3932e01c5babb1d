import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { crisisPlanRead } from '../crisis-plans-audit';
import { ReadCrisisPlanService } from './read-plan.service';

@ApiTags('crisis plans')
@ApiBearerAuth()
@Controller('v1/persons')
export class ReadCrisisPlanController {
  constructor(private readonly plans: ReadCrisisPlanService) {}

  /** The person's current crisis response plan (or that of a person merged into them). */
  @Get(':personId/crisis-plan')
  @Roles('coordinator', 'clinician', 'supervisor')
  @ApiResponse({ status: 404, description: 'The person has no plan in the caller’s department' })
  @AuditRead(crisisPlanRead)
  read(@IdParam('personId', 'per') personId: string, @CurrentPrincipal() principal: Principal) {
    return this.plans.read(personId, principal);
  }
}
