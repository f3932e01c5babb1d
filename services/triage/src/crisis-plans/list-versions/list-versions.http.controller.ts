import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { crisisPlanRead, crisisPlanVersionsListed } from '../crisis-plans-audit';
import { ListCrisisPlanVersionsService } from './list-versions.service';

@ApiTags('crisis plans')
@ApiBearerAuth()
@Controller('v1/persons')
export class ListCrisisPlanVersionsController {
  constructor(private readonly versions: ListCrisisPlanVersionsService) {}

  /** Every version of the person's crisis plan, newest first (who wrote it when; the current one has no retiredAt). */
  @Get(':personId/crisis-plan/versions')
  @Roles('coordinator', 'clinician', 'supervisor')
  @ApiResponse({ status: 404, description: 'The person has no plan in the caller’s department' })
  @AuditRead(crisisPlanVersionsListed)
  list(@IdParam('personId', 'per') personId: string, @CurrentPrincipal() principal: Principal) {
    return this.versions.list(personId, principal);
  }

  /** One version with its content. */
  @Get(':personId/crisis-plan/versions/:version')
  @Roles('coordinator', 'clinician', 'supervisor')
  @ApiResponse({ status: 404, description: 'No such version in the caller’s department' })
  @AuditRead(crisisPlanRead)
  version(
    @IdParam('personId', 'per') personId: string,
    @Param('version', new ParseIntPipe({ errorHttpStatusCode: 404 })) version: number,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.versions.version(personId, version, principal);
  }
}
