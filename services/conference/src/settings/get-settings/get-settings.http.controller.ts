import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { GetSettingsService } from './get-settings.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class GetSettingsController {
  constructor(private readonly settings: GetSettingsService) {}

  /** The department's conference settings (404 conference-settings-missing until an admin saves them). */
  @Get()
  @Roles('coordinator', 'supervisor', 'admin')
  @ApiResponse({ status: 200, description: 'The settings with their version' })
  @ApiResponse({ status: 404, description: 'Not saved yet (conference-settings-missing)' })
  get(@CurrentPrincipal() principal: Principal) {
    return this.settings.get(principal);
  }
}
