import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditInService } from '@cit/audit';
import { CurrentPrincipal, PartnerOnly, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import {
  nominationRequestExample,
  partnerNominationRequestSchema,
  type PartnerNominationRequest,
} from './nomination.request';
import { SubmitNominationService } from './submit-nomination.service';

@ApiTags('partner API')
@ApiBearerAuth()
@Controller('v1/partner/nominations')
export class PartnerNominationController {
  constructor(private readonly nominations: SubmitNominationService) {}

  /** A member agency nominates a person it works with; presented de-identified until the table decides. */
  @Post()
  @PartnerOnly()
  @ApiZodBody(partnerNominationRequestSchema, nominationRequestExample)
  @ApiResponse({ status: 201, description: 'Open; placed on an agenda when a session has room before its cutoff' })
  @ApiResponse({ status: 403, description: 'The agency is not a member of any of the department’s tables' })
  @ApiResponse({ status: 409, description: 'The person already has an open nomination (open-nomination-exists)' })
  @AuditInService()
  submit(
    @Body(new ZodValidationPipe(partnerNominationRequestSchema)) body: PartnerNominationRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.nominations.fromPartner(body, principal);
  }
}
