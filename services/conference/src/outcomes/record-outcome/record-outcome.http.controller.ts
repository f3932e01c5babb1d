import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditInService } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { recordOutcomeRequestSchema, type RecordOutcomeRequest } from './record-outcome.request';
import { RecordOutcomeService } from './record-outcome.service';

@ApiTags('outcomes')
@ApiBearerAuth()
@Controller('v1/sessions')
export class RecordOutcomeController {
  constructor(private readonly outcomes: RecordOutcomeService) {}

  /**
   * The table's outcome for a case it found at acutely elevated risk: lead and assisting
   * agencies (among those selected at filter 2), action items with owners and due dates, and
   * the case's status. Emits cit.conference.outcome-recorded.v1.
   */
  @Post(':sessionId/cases/:nominationId/outcome')
  @HttpCode(HttpStatus.CREATED)
  @Roles('coordinator', 'supervisor')
  @ApiZodBody(recordOutcomeRequestSchema, {
    status: 'carry-over',
    leadAgencyId: 'metro-mobile-crisis',
    assistingAgencyIds: ['northside-housing'],
    actionItems: [
      {
        ownerAgencyId: 'metro-mobile-crisis',
        kind: 'home-visit',
        description: 'Visit with the housing worker; bring the benefits forms',
        dueAt: '2026-12-09T17:00:00-05:00',
      },
    ],
  })
  @ApiResponse({ status: 404, description: 'No such session, or the case is not on its agenda' })
  @ApiResponse({
    status: 409,
    description:
      'An outcome exists for this case at this session, the case moved or was carried over, or filter 2 has not found the risk acutely elevated',
  })
  @AuditInService()
  record(
    @IdParam('sessionId', 'ses') sessionId: string,
    @IdParam('nominationId', 'nom') nominationId: string,
    @Body(new ZodValidationPipe(recordOutcomeRequestSchema)) body: RecordOutcomeRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.outcomes.record(sessionId, nominationId, body, principal);
  }
}
