import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ListAgenciesService } from './list-agencies.service';

@ApiTags('partner directory')
@ApiBearerAuth()
@Controller('v1/partner-agencies')
export class ListAgenciesController {
  constructor(private readonly agencies: ListAgenciesService) {}

  /** The caller's department's partner agencies. */
  @Get()
  @Roles('clinician', 'coordinator', 'supervisor', 'admin')
  list(@CurrentPrincipal() principal: Principal) {
    return this.agencies.list(principal);
  }
}
