import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditInService } from '@cit/audit';
import { CurrentPrincipal, PartnerOnly, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { GetNominationService } from './get-nomination.service';

@ApiTags('nominations')
@ApiBearerAuth()
@Controller('v1/nominations')
export class GetNominationController {
  constructor(private readonly nominations: GetNominationService) {}

  /** A nomination: in full for program staff (audited), de-identified for officers and clinicians. */
  @Get(':id')
  @Roles('officer', 'clinician', 'coordinator', 'supervisor', 'admin')
  @ApiResponse({ status: 404, description: 'No such nomination in the caller’s department' })
  // loadCaseViews appends the audit entries of what it decrypted, in its transaction.
  @AuditInService()
  get(@IdParam('id', 'nom') id: string, @CurrentPrincipal() principal: Principal) {
    return this.nominations.get(id, principal);
  }
}

@ApiTags('partner API')
@ApiBearerAuth()
@Controller('v1/partner/nominations')
export class PartnerGetNominationController {
  constructor(private readonly nominations: GetNominationService) {}

  /**
   * A nomination as the calling agency may see it: de-identified at a table it sits at;
   * limited identity once the table selected the agency; what planning needs as lead or
   * assisting agency; redacted counts once the table found no elevated risk.
   */
  @Get(':id')
  @PartnerOnly()
  @ApiResponse({ status: 404, description: 'No such nomination, or nothing of it for this agency' })
  @AuditInService()
  get(@IdParam('id', 'nom') id: string, @CurrentPrincipal() principal: Principal) {
    return this.nominations.get(id, principal);
  }
}
