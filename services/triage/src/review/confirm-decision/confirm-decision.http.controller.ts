import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { decisionDecided } from '../../decisions/decisions-audit';
import { confirmDecisionRequestSchema, type ConfirmDecisionRequest } from './confirm-decision.request';
import { ConfirmDecisionService } from './confirm-decision.service';

@ApiTags('review')
@ApiBearerAuth()
@Controller('v1/decisions')
export class ConfirmDecisionController {
  constructor(private readonly decisions: ConfirmDecisionService) {}

  /** Confirms a decision waiting in the review queue; it is published (cit.triage.completed.v1) and opens or joins a case. */
  @Post(':id/confirm')
  @HttpCode(200)
  @Roles('supervisor')
  @AuditWrite(decisionDecided(['status', 'consultation']))
  @ApiZodBody(confirmDecisionRequestSchema, { consultation: { consultedWith: 'sergeant-0042' } })
  @ApiResponse({
    status: 409,
    description: 'The decision is not waiting for review (problem+json lists what is allowed)',
  })
  confirm(
    @CurrentPrincipal() principal: Principal,
    @IdParam('id', 'tri') id: string,
    @Body(new ZodValidationPipe(confirmDecisionRequestSchema)) body: ConfirmDecisionRequest,
  ) {
    return this.decisions.confirm(principal, id, body);
  }
}
