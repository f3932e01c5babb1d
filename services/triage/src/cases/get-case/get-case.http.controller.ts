import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { caseRead } from '../cases-audit';
import { GetCaseService } from './get-case.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class GetCaseController {
  constructor(private readonly cases: GetCaseService) {}

  /** One case with its incidents, status history and outreach log. */
  @Get(':id')
  @Roles('clinician', 'coordinator', 'supervisor', 'admin')
  @ApiResponse({ status: 404, description: 'No such case in the caller’s department' })
  @AuditRead(caseRead)
  get(@IdParam('id', 'case') id: string, @CurrentPrincipal() principal: Principal) {
    return this.cases.get(id, principal);
  }
}
