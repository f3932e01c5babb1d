import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PartnerOnly, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { partnerStatusRequestSchema, type PartnerStatusRequest } from './partner-status.request';
import { PartnerStatusService } from './partner-status.service';

@ApiTags('partner API')
@ApiBearerAuth()
@Controller('v1/partner/referrals')
export class PartnerStatusController {
  constructor(private readonly statuses: PartnerStatusService) {}

  /** received, accepted, rejected (reason), in-progress, on-hold (reason), completed/failed (outcome). */
  @Post(':id/status')
  @HttpCode(200)
  @PartnerOnly()
  @ApiZodBody(partnerStatusRequestSchema)
  @ApiResponse({
    status: 409,
    description: 'Not allowed from the current status or not for a partner; detail lists the allowed ones',
  })
  change(
    @IdParam('id', 'ref') id: string,
    @Body(new ZodValidationPipe(partnerStatusRequestSchema)) body: PartnerStatusRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.statuses.change(id, body, p);
  }
}
