import { Body, Controller, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { putSettingsExample, putSettingsRequestSchema, type PutSettingsRequest } from './put-settings.request';
import { PutSettingsService } from './put-settings.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class PutSettingsController {
  constructor(private readonly settings: PutSettingsService) {}

  /** Replaces the department's conference settings and raises their version. */
  @Put()
  @Roles('admin')
  @ApiZodBody(putSettingsRequestSchema, putSettingsExample)
  @ApiResponse({ status: 200, description: 'The saved settings with their version' })
  @ApiResponse({ status: 400, description: 'problem+json naming each invalid field (e.g. timeZone)' })
  @ApiResponse({ status: 409, description: 'expectedVersion is stale (conference-settings-version-conflict)' })
  put(
    @Body(new ZodValidationPipe(putSettingsRequestSchema)) body: PutSettingsRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.settings.put(body, principal);
  }
}
