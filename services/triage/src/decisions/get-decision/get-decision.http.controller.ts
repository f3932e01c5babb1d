import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { decisionsRead } from '../decisions-audit';
import { GetDecisionService } from './get-decision.service';

@ApiTags('decisions')
@ApiBearerAuth()
@Controller('v1')
export class GetDecisionController {
  constructor(private readonly decisions: GetDecisionService) {}

  /** One triage decision with the ruleset version and every rule that fired, with why. */
  @Get('decisions/:id')
  @Roles('clinician', 'coordinator', 'supervisor', 'admin')
  @AuditRead((d: { id: string; personId: string | null }) => decisionsRead([d]))
  get(@CurrentPrincipal() principal: Principal, @IdParam('id', 'tri') id: string) {
    return this.decisions.get(principal, id);
  }

  /** The incident's decisions, oldest first, superseded ones linked to the decision that replaced them. */
  @Get('incidents/:incidentId/decisions')
  @Roles('clinician', 'coordinator', 'supervisor', 'admin')
  @AuditRead((r: { items: { id: string; personId: string | null }[] }) => decisionsRead(r.items))
  forIncident(@CurrentPrincipal() principal: Principal, @IdParam('incidentId', 'inc') incidentId: string) {
    return this.decisions.forIncident(principal, incidentId);
  }
}
