import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { decisionDecided } from '../../decisions/decisions-audit';
import { overrideDecisionRequestSchema, type OverrideDecisionRequest } from './override-decision.request';
import { OverrideDecisionService } from './override-decision.service';

@ApiTags('review')
@ApiBearerAuth()
@Controller('v1/decisions')
export class OverrideDecisionController {
  constructor(private readonly decisions: OverrideDecisionService) {}

  /**
   * Overrides a decision (waiting for review or already published) with a reason: the new
   * decision supersedes it and is published as cit.triage.completed.v1 with `supersedes`.
   */
  @Post(':id/override')
  @HttpCode(201)
  @Roles('supervisor')
  @AuditWrite(decisionDecided(['riskLevel', 'needs', 'pathways', 'sector', 'assigneeId', 'reason']))
  @ApiZodBody(overrideDecisionRequestSchema, {
    reason: 'Spoke with the family: he is safe at his sister’s tonight; routine follow-up.',
    riskLevel: 'routine',
    needs: ['mental-health'],
    pathways: ['clinician-outreach'],
  })
  @ApiResponse({ status: 201, description: 'The new decision (supersedes the overridden one)' })
  @ApiResponse({ status: 409, description: 'The decision is already superseded (problem+json lists what is allowed)' })
  override(
    @CurrentPrincipal() principal: Principal,
    @IdParam('id', 'tri') id: string,
    @Body(new ZodValidationPipe(overrideDecisionRequestSchema)) body: OverrideDecisionRequest,
  ) {
    return this.decisions.override(principal, id, body);
  }
}
