import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ListAgenciesService } from './list-agencies.service';

@ApiTags('agencies')
@ApiBearerAuth()
@Controller('v1/agencies')
export class ListAgenciesController {
  constructor(private readonly agencies: ListAgenciesService) {}

  /** Member agencies known from referral's MOUs, and whether each may receive identity today. */
  @Get()
  @Roles('officer', 'clinician', 'coordinator', 'supervisor', 'admin')
  @ApiResponse({ status: 200, description: '{ items: [{ agencyId, mayReceiveIdentity, mous }], asOf }' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.agencies.list(principal);
  }
}
