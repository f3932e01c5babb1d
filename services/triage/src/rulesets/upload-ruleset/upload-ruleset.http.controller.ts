import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { DEFAULT_RULESET } from '../domain/default-ruleset';
import { UploadRulesetService } from './upload-ruleset.service';

@ApiTags('rulesets')
@ApiBearerAuth()
@Controller('v1/rulesets')
export class UploadRulesetController {
  constructor(private readonly rulesets: UploadRulesetService) {}

  /**
   * Uploads a ruleset (declarative JSON: name, rules with id, description, when, then) as the
   * department's next version. It is not in force until activated; try it first with dry-run.
   */
  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiBody({
    description: 'A ruleset document (GET /v1/rulesets/0 is the default one)',
    schema: { type: 'object', example: DEFAULT_RULESET },
  })
  @ApiResponse({ status: 201, description: 'The stored version' })
  @ApiResponse({
    status: 400,
    description: 'problem+json; each error names the rule part by path (rules.3.when.all.1.fact)',
  })
  upload(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.rulesets.upload(body, principal);
  }
}
