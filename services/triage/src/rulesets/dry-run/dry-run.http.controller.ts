import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { VersionParam } from '../ruleset-version.param';
import { dryRunExample, dryRunRequestSchema, type DryRunRequest } from './dry-run.request';
import { DryRunService } from './dry-run.service';

@ApiTags('rulesets')
@ApiBearerAuth()
@Controller('v1/rulesets')
export class DryRunController {
  constructor(private readonly dryRun: DryRunService) {}

  /** Runs the ruleset version over sample incidents and shows each decision with the rules that fired; stores nothing. */
  @Post(':version/dry-run')
  @HttpCode(200)
  @Roles('admin', 'supervisor', 'clinician')
  @ApiZodBody(dryRunRequestSchema, dryRunExample as DryRunRequest)
  @ApiResponse({ status: 200, description: 'One decision per sample, in order' })
  run(
    @CurrentPrincipal() principal: Principal,
    @VersionParam() version: number,
    @Body(new ZodValidationPipe(dryRunRequestSchema)) body: DryRunRequest,
  ) {
    return this.dryRun.run(principal, version, body);
  }
}
