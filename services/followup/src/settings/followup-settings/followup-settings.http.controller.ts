import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import {
  DEFAULT_FOLLOWUP_SETTINGS,
  followupSettingsRequestSchema,
  type FollowupSettingsRequest,
} from '../department-settings';
import { FollowupSettingsService } from './followup-settings.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings/followup')
export class FollowupSettingsController {
  constructor(private readonly settings: FollowupSettingsService) {}

  /** The department's follow-up settings (defaults until an admin saves them). */
  @Get()
  @Roles('admin', 'supervisor', 'ops', 'ops-admin')
  get(@CurrentPrincipal() principal: Principal) {
    return this.settings.get(principal);
  }

  /** Replaces the department's follow-up settings; they apply to reminders scheduled from now on. */
  @Put()
  @Roles('admin')
  @ApiZodBody(followupSettingsRequestSchema, DEFAULT_FOLLOWUP_SETTINGS)
  put(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodValidationPipe(followupSettingsRequestSchema)) body: FollowupSettingsRequest,
  ) {
    return this.settings.put(principal, body);
  }
}
