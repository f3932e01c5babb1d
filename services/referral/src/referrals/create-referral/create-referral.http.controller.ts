import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { createReferralRequestSchema, type CreateReferralRequest } from './create-referral.request';
import { CreateReferralService } from './create-referral.service';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1/referrals')
export class CreateReferralController {
  constructor(private readonly referrals: CreateReferralService) {}

  /** Routes a referral: candidates ranked with their score parts; one agency or up to k (department setting). */
  @Post()
  @Roles('coordinator', 'clinician', 'supervisor')
  @ApiZodBody(createReferralRequestSchema)
  @ApiResponse({ status: 422, description: 'The chosen agency is not an eligible candidate (detail names why)' })
  create(
    @Body(new ZodValidationPipe(createReferralRequestSchema)) body: CreateReferralRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.referrals.create(body, p);
  }
}
