import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { caseStatusChanged } from '../cases-audit';
import { changeStatusRequestSchema, type ChangeStatusRequest } from './change-status.request';
import { ChangeStatusService } from './change-status.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class ChangeStatusController {
  constructor(private readonly status: ChangeStatusService) {}

  /** open → in-contact → stabilized | connected-to-long-term-services | closed-no-contact | transferred. */
  @Post(':id/status')
  @HttpCode(HttpStatus.OK)
  @Roles('coordinator', 'clinician', 'supervisor')
  @ApiZodBody(changeStatusRequestSchema, { status: 'connected-to-long-term-services' })
  @ApiResponse({ status: 200, description: 'Changed; cit.case.updated.v1, or cit.case.closed.v1 for a closing status' })
  @ApiResponse({ status: 404, description: 'No such case in the caller’s department' })
  @ApiResponse({ status: 409, description: 'Transition not allowed (the detail lists the allowed statuses)' })
  @AuditWrite(caseStatusChanged)
  change(
    @IdParam('id', 'case') id: string,
    @Body(new ZodValidationPipe(changeStatusRequestSchema)) body: ChangeStatusRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.status.change(id, body, principal);
  }
}
