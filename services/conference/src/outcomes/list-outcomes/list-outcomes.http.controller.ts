import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditInService } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { ListOutcomesService } from './list-outcomes.service';

@ApiTags('outcomes')
@ApiBearerAuth()
@Controller('v1/nominations')
export class ListOutcomesController {
  constructor(private readonly outcomes: ListOutcomesService) {}

  /** The case's outcomes session by session, with action items (descriptions audited as PHI reads). */
  @Get(':nominationId/outcomes')
  @Roles('coordinator', 'supervisor', 'admin', 'partner')
  @ApiResponse({ status: 404, description: 'No such nomination, or the partner agency plans none of its outcomes' })
  @AuditInService()
  list(@IdParam('nominationId', 'nom') nominationId: string, @CurrentPrincipal() principal: Principal) {
    return this.outcomes.list(nominationId, principal);
  }
}
