import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { recordConsentRequestSchema, type RecordConsentRequest } from './record-consent.request';
import { RecordConsentService } from './record-consent.service';

@ApiTags('legal basis')
@ApiBearerAuth()
@Controller('v1/persons')
export class RecordConsentController {
  constructor(private readonly consents: RecordConsentService) {}

  /** Records the person's consent to share (categories, recipients, expiry) for later referrals. */
  @Post(':id/consents')
  @Roles('clinician', 'coordinator')
  @ApiZodBody(recordConsentRequestSchema)
  record(
    @IdParam('id') personId: string,
    @Body(new ZodValidationPipe(recordConsentRequestSchema)) body: RecordConsentRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.consents.record(personId, body, principal);
  }
}
