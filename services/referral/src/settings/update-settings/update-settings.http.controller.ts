import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { referralSettingsRequestSchema, type ReferralSettingsRequest } from '../referral-settings';
import { ReferralSettingsService } from './update-settings.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/referral-settings')
export class ReferralSettingsController {
  constructor(private readonly settings: ReferralSettingsService) {}

  @Get()
  @Roles('coordinator', 'supervisor', 'admin')
  get(@CurrentPrincipal() p: Principal) {
    return this.settings.get(p);
  }

  /** Time zone, routing mode (one agency, or up to maxAgencies at once) and SLA per urgency. */
  @Put()
  @Roles('admin')
  @ApiZodBody(referralSettingsRequestSchema)
  put(
    @Body(new ZodValidationPipe(referralSettingsRequestSchema)) body: ReferralSettingsRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.settings.put(body, p);
  }
}
