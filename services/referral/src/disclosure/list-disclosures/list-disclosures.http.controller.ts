import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { disclosuresRead } from '../../audit/referral-audit';
import { ListDisclosuresService } from './list-disclosures.service';

@ApiTags('legal basis')
@ApiBearerAuth()
@Controller('v1/persons')
export class ListDisclosuresController {
  constructor(private readonly disclosures: ListDisclosuresService) {}

  /** Every disclosure of the person's information to a partner: when, to whom, what (field names), why. */
  @Get(':id/disclosures')
  @Roles('coordinator', 'supervisor', 'auditor', 'admin')
  @AuditRead(disclosuresRead)
  list(@IdParam('id') personId: string, @CurrentPrincipal() principal: Principal) {
    return this.disclosures.list(personId, principal);
  }
}
