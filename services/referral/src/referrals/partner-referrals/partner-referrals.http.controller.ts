import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, PartnerOnly, type Principal } from '@cit/auth';
import { IdParam, ZodValidationPipe } from '@cit/service-kit';
import { partnerReferralRead, partnerReferralsRead } from '../../audit/referral-audit';
import { partnerReferralsQuerySchema, type PartnerReferralsQuery } from './partner-referrals.query';
import { PartnerReferralsService } from './partner-referrals.service';

@ApiTags('partner API')
@ApiBearerAuth()
@Controller('v1/partner/referrals')
export class PartnerReferralsController {
  constructor(private readonly referrals: PartnerReferralsService) {}

  /** The calling agency's referrals, oldest first; nextCursor is null on the last page. */
  @Get()
  @PartnerOnly()
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @AuditRead(partnerReferralsRead)
  list(
    @Query(new ZodValidationPipe(partnerReferralsQuerySchema)) q: PartnerReferralsQuery,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.referrals.list(q, p);
  }

  @Get(':id')
  @PartnerOnly()
  @AuditRead(partnerReferralRead)
  get(@IdParam('id', 'ref') id: string, @CurrentPrincipal() p: Principal) {
    return this.referrals.get(id, p);
  }
}
