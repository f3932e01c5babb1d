import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { GetReferralService } from './get-referral.service';

@ApiTags('referrals')
@ApiBearerAuth()
@Controller('v1/referrals')
export class GetReferralController {
  constructor(private readonly referrals: GetReferralService) {}

  /** The referral with its stored routing (every candidate's score parts, exclusions), HIPAA checklist and history. */
  @Get(':id')
  @Roles('coordinator', 'clinician', 'supervisor', 'admin')
  get(@IdParam('id', 'ref') id: string, @CurrentPrincipal() p: Principal) {
    return this.referrals.get(id, p);
  }
}
