import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ZodValidationPipe } from '@cit/service-kit';
import { listNominationsQuerySchema, type ListNominationsQuery } from './list-nominations.query';
import { ListNominationsService } from './list-nominations.service';

@ApiTags('nominations')
@ApiBearerAuth()
@Controller('v1/nominations')
export class ListNominationsController {
  constructor(private readonly nominations: ListNominationsService) {}

  /** Nominations, newest first, as de-identified summaries (open one for identity); nextCursor is null on the last page. */
  @Get()
  @Roles('officer', 'clinician', 'coordinator', 'supervisor', 'admin')
  list(
    @Query(new ZodValidationPipe(listNominationsQuerySchema)) q: ListNominationsQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.nominations.list(q, principal);
  }
}
