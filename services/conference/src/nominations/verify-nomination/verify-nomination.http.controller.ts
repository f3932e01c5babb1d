import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { verifyNominationRequestSchema, type VerifyNominationRequest } from './verify-nomination.request';
import { VerifyNominationService } from './verify-nomination.service';

@ApiTags('nominations')
@ApiBearerAuth()
@Controller('v1/nominations')
export class VerifyNominationController {
  constructor(private readonly nominations: VerifyNominationService) {}

  /** Accepts (opens) or rejects a nomination waiting for verification. */
  @Post(':id/verify')
  @HttpCode(HttpStatus.OK)
  @Roles('coordinator', 'supervisor')
  @ApiZodBody(verifyNominationRequestSchema, { decision: 'accept', riskLevel: 'urgent', riskFactors: ['suicide-risk'] })
  @ApiResponse({ status: 409, description: 'Not pending verification (problem+json with allowed)' })
  verify(
    @IdParam('id', 'nom') id: string,
    @Body(new ZodValidationPipe(verifyNominationRequestSchema)) body: VerifyNominationRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.nominations.verify(id, body, principal);
  }
}
