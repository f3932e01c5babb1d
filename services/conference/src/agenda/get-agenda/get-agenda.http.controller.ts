import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditInService } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { GetAgendaService } from './get-agenda.service';

@ApiTags('agenda')
@ApiBearerAuth()
@Controller('v1/sessions')
export class GetAgendaController {
  constructor(private readonly agenda: GetAgendaService) {}

  /**
   * The session's agenda in position order: kind (new or status update), risk level and each
   * case at the level the caller may see it (identity only for agencies given it; audited).
   */
  @Get(':sessionId/agenda')
  @Roles('coordinator', 'supervisor', 'admin', 'clinician', 'officer', 'partner')
  @ApiResponse({ status: 404, description: 'No such session, or the partner agency is not a member of its series' })
  @AuditInService()
  get(@IdParam('sessionId', 'ses') sessionId: string, @CurrentPrincipal() principal: Principal) {
    return this.agenda.get(sessionId, principal);
  }
}
