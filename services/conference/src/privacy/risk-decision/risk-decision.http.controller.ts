import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditInService } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { riskDecisionRequestSchema, type RiskDecisionRequest } from './risk-decision.request';
import { RiskDecisionService } from './risk-decision.service';

@ApiTags('four filters')
@ApiBearerAuth()
@Controller('v1/sessions')
export class RiskDecisionController {
  constructor(private readonly decisions: RiskDecisionService) {}

  /** Filter 2: the table decides whether the risk is acutely elevated (limited identity to the selected agencies) or not (redacted). */
  @Post(':sessionId/cases/:nominationId/risk-decision')
  @HttpCode(HttpStatus.OK)
  @Roles('coordinator', 'supervisor')
  @ApiZodBody(riskDecisionRequestSchema, {
    acutelyElevated: true,
    selectedAgencyIds: ['agency-cbhc', 'agency-housing'],
  })
  @ApiResponse({
    status: 400,
    description: 'An agency not at this table or without an active MOU (named selectedAgencyIds[i])',
  })
  @ApiResponse({ status: 404, description: 'No such session, or the case is not on its agenda' })
  @ApiResponse({ status: 409, description: 'The table already decided, or the nomination is not open (allowed)' })
  @AuditInService()
  decide(
    @IdParam('sessionId', 'ses') sessionId: string,
    @IdParam('nominationId', 'nom') nominationId: string,
    @Body(new ZodValidationPipe(riskDecisionRequestSchema)) body: RiskDecisionRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.decisions.decide(sessionId, nominationId, body, principal);
  }
}
