import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { contactPreferenceRead } from '../contact-preference-audit';
import { GetContactPreferenceService } from './get-preference.service';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('v1/persons')
export class GetContactPreferenceController {
  constructor(private readonly preferences: GetContactPreferenceService) {}

  /** The person's own preference and the effective one (strictest over persons merged into them). */
  @Get(':personId/contact-preference')
  @Roles('coordinator', 'clinician', 'supervisor', 'officer')
  @AuditRead(contactPreferenceRead)
  get(@IdParam('personId', 'per') personId: string, @CurrentPrincipal() principal: Principal) {
    return this.preferences.get(personId, principal);
  }
}
