import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditInService } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { openCaseRequestSchema, type OpenCaseRequest } from './open-case.request';
import { OpenCaseService } from './open-case.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class OpenCaseController {
  constructor(private readonly cases: OpenCaseService) {}

  /** Opens a case by hand, e.g. re-entry outreach for a resident released from incarceration (source recorded). */
  @Post()
  @Roles('coordinator', 'clinician', 'supervisor')
  @ApiZodBody(openCaseRequestSchema, {
    personId: 'per_0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f',
    source: 're-entry',
    riskLevel: 'routine',
    needs: ['housing', 'substance-use'],
    pathway: 'clinician-outreach',
  })
  @ApiResponse({ status: 201, description: 'Opened; cit.case.opened.v1 is on its way' })
  @ApiResponse({ status: 409, description: 'The person already has an active case (named in the detail)' })
  @AuditInService()
  open(
    @Body(new ZodValidationPipe(openCaseRequestSchema)) body: OpenCaseRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.cases.open(body, principal);
  }
}
