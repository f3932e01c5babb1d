import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ROLES, Roles, type Principal } from '@cit/auth';

/**
 * GET /v1/whoami: the caller as this service sees it (token verified, roles, department).
 * Clients use it to check a token against a service; benchmarks use it as the service's
 * trivial authenticated request, the ceiling a real route is measured against.
 */
@ApiTags('session')
@ApiBearerAuth()
@Controller('v1/whoami')
export class WhoamiController {
  @Get()
  // Every role, partners included (a route without @Roles admits staff only).
  @Roles(...ROLES)
  @ApiOkResponse({
    description: 'The authenticated caller: subject, kind, roles, department (and agency of a partner)',
  })
  whoami(@CurrentPrincipal() principal: Principal) {
    return {
      subject: principal.subject,
      kind: principal.kind,
      roles: principal.roles,
      departmentId: principal.departmentId,
      ...(principal.agencyId ? { agencyId: principal.agencyId } : {}),
    };
  }
}
