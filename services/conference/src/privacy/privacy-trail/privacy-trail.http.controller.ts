import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { PrivacyTrailService } from './privacy-trail.service';

@ApiTags('four filters')
@ApiBearerAuth()
@Controller('v1/nominations')
export class PrivacyTrailController {
  constructor(private readonly trails: PrivacyTrailService) {}

  /** Every four-filter step and identity disclosure of a nomination, in order (no identity in it). */
  @Get(':id/privacy-trail')
  @Roles('supervisor', 'auditor')
  @ApiResponse({ status: 404, description: 'No such nomination in the caller’s department' })
  trail(@IdParam('id', 'nom') id: string, @CurrentPrincipal() principal: Principal) {
    return this.trails.trail(id, principal);
  }
}
