import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import {
  cancelReferralRequestSchema,
  reassignReferralRequestSchema,
  type CancelReferralRequest,
  type ReassignReferralRequest,
} from './reassign-referral.request';
import { ReassignReferralService } from './reassign-referral.service';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1/referrals')
export class ReassignReferralController {
  constructor(private readonly referrals: ReassignReferralService) {}

  /** The coordinator chooses another candidate: a new referral to it, this one cancelled (reason rerouted). */
  @Post(':id/reassign')
  @HttpCode(200)
  @Roles('coordinator', 'supervisor')
  @ApiZodBody(reassignReferralRequestSchema)
  reassign(
    @IdParam('id', 'ref') id: string,
    @Body(new ZodValidationPipe(reassignReferralRequestSchema)) body: ReassignReferralRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.referrals.reassign(id, body, p);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('coordinator', 'supervisor')
  @ApiZodBody(cancelReferralRequestSchema)
  cancel(
    @IdParam('id', 'ref') id: string,
    @Body(new ZodValidationPipe(cancelReferralRequestSchema)) body: CancelReferralRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.referrals.cancel(id, body, p);
  }
}
