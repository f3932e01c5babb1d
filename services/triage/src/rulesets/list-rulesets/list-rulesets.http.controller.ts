import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { VersionParam } from '../ruleset-version.param';
import { ListRulesetsService } from './list-rulesets.service';

@ApiTags('rulesets')
@ApiBearerAuth()
@Controller('v1/rulesets')
export class ListRulesetsController {
  constructor(private readonly rulesets: ListRulesetsService) {}

  /** The department's ruleset versions and the default (version 0), with the one in force. */
  @Get()
  @Roles('admin', 'supervisor', 'clinician', 'coordinator')
  list(@CurrentPrincipal() principal: Principal) {
    return this.rulesets.list(principal);
  }

  /** One ruleset document (0 = the default ruleset that ships with the product). */
  @Get(':version')
  @Roles('admin', 'supervisor', 'clinician', 'coordinator')
  get(@CurrentPrincipal() principal: Principal, @VersionParam() version: number) {
    return this.rulesets.get(principal, version);
  }
}
