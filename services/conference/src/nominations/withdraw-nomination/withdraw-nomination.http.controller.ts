import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { withdrawNominationRequestSchema, type WithdrawNominationRequest } from './withdraw-nomination.request';
import { WithdrawNominationService } from './withdraw-nomination.service';

@ApiTags('nominations')
@ApiBearerAuth()
@Controller('v1/nominations')
export class WithdrawNominationController {
  constructor(private readonly nominations: WithdrawNominationService) {}

  /** Withdraws a nomination that is pending verification or open (no longer placed on agendas). */
  @Post(':id/withdraw')
  @HttpCode(HttpStatus.OK)
  @Roles('officer', 'clinician', 'coordinator', 'supervisor')
  @ApiZodBody(withdrawNominationRequestSchema, { reason: 'handled-elsewhere' })
  @ApiResponse({ status: 409, description: 'Already closed, rejected or withdrawn (problem+json with allowed)' })
  withdraw(
    @IdParam('id', 'nom') id: string,
    @Body(new ZodValidationPipe(withdrawNominationRequestSchema)) body: WithdrawNominationRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.nominations.withdraw(id, body, principal);
  }
}
