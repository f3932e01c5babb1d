import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { caseAssigned } from '../cases-audit';
import { assignCaseRequestSchema, type AssignCaseRequest } from './assign-case.request';
import { AssignCaseService } from './assign-case.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class AssignCaseController {
  constructor(private readonly cases: AssignCaseService) {}

  /** Who coordinates the case; reminders follow the assignee. */
  @Post(':id/assignment')
  @HttpCode(HttpStatus.OK)
  @Roles('supervisor', 'coordinator')
  @ApiZodBody(assignCaseRequestSchema, { assignedTo: 'stf_coordinator0311', expectedVersion: 3 })
  @ApiResponse({ status: 404, description: 'No such case in the caller’s department' })
  @ApiResponse({ status: 409, description: 'The case is closed, or expectedVersion is stale' })
  @AuditWrite(caseAssigned)
  assign(
    @IdParam('id', 'case') id: string,
    @Body(new ZodValidationPipe(assignCaseRequestSchema)) body: AssignCaseRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.cases.assign(id, body, principal);
  }
}
