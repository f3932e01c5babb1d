import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { referralFhirRead } from '../../audit/referral-audit';
import { ReferralFhirService } from './referral-fhir.service';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1/referrals')
export class ReferralFhirController {
  constructor(private readonly fhir: ReferralFhirService) {}

  /** FHIR R4 Bundle: ServiceRequest, Task (status, businessStatus) and Consent where consent is the basis. */
  @Get(':id/fhir')
  @Roles('coordinator', 'clinician', 'supervisor', 'admin')
  @AuditRead(referralFhirRead)
  get(@IdParam('id', 'ref') id: string, @CurrentPrincipal() p: Principal) {
    return this.fhir.bundle(id, p);
  }
}
