import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { decisionDecided } from '../../decisions/decisions-audit';
import { assignDecisionRequestSchema, type AssignDecisionRequest } from './assign-decision.request';
import { AssignDecisionService } from './assign-decision.service';

@ApiTags('review')
@ApiBearerAuth()
@Controller('v1/decisions')
export class AssignDecisionController {
  constructor(private readonly decisions: AssignDecisionService) {}

  /** Assigns a decision waiting in the review queue to a unit, sector or clinician and releases it. */
  @Post(':id/assign')
  @HttpCode(200)
  @Roles('supervisor')
  @AuditWrite(decisionDecided(['unit', 'sector', 'assigneeId', 'status']))
  @ApiZodBody(assignDecisionRequestSchema, {
    sector: 'mental-health',
    assigneeId: 'stf_0123456789abcdef0123456789abcdef',
  })
  @ApiResponse({
    status: 409,
    description: 'The decision is not waiting for review (problem+json lists what is allowed)',
  })
  assign(
    @CurrentPrincipal() principal: Principal,
    @IdParam('id', 'tri') id: string,
    @Body(new ZodValidationPipe(assignDecisionRequestSchema)) body: AssignDecisionRequest,
  ) {
    return this.decisions.assign(principal, id, body);
  }
}
