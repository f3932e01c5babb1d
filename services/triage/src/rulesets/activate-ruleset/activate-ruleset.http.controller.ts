import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { VersionParam } from '../ruleset-version.param';
import { ActivateRulesetService } from './activate-ruleset.service';

@ApiTags('rulesets')
@ApiBearerAuth()
@Controller('v1/rulesets')
export class ActivateRulesetController {
  constructor(private readonly rulesets: ActivateRulesetService) {}

  /** Puts the version in force for decisions from now on (earlier decisions keep the version they were made with). */
  @Post(':version/activate')
  @HttpCode(200)
  @Roles('admin')
  activate(@CurrentPrincipal() principal: Principal, @VersionParam() version: number) {
    return this.rulesets.activate(principal, version);
  }
}
