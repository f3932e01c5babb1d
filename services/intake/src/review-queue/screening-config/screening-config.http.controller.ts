import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import {
  putScreeningConfigExample,
  putScreeningConfigRequestSchema,
  type PutScreeningConfigRequest,
} from './screening-config.request';
import { ScreeningConfigService } from './screening-config.service';

@ApiTags('review-queue')
@ApiBearerAuth()
@Controller('v1/review-queue/config')
export class ScreeningConfigController {
  constructor(private readonly config: ScreeningConfigService) {}

  /** The department's screening rules; the platform defaults (isDefault) until it saves its own. */
  @Get()
  @Roles('admin')
  get(@CurrentPrincipal() principal: Principal) {
    return this.config.get(principal);
  }

  /** Replaces the department's screening rules and bumps their version. */
  @Put()
  @Roles('admin')
  @ApiZodBody(putScreeningConfigRequestSchema, putScreeningConfigExample)
  @ApiResponse({ status: 200, description: 'The saved, normalized rules' })
  @ApiResponse({ status: 400, description: 'problem+json naming each invalid term (e.g. keywords.3.term)' })
  @ApiResponse({
    status: 409,
    description: 'expectedVersion is stale (problem type screening-config-version-conflict)',
  })
  put(
    @Body(new ZodValidationPipe(putScreeningConfigRequestSchema)) body: PutScreeningConfigRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.config.put(body, principal);
  }
}
