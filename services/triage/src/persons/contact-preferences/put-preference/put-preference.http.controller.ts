import { Body, Controller, HttpCode, HttpStatus, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { contactPreferenceWritten } from '../contact-preference-audit';
import { putContactPreferenceRequestSchema, type PutContactPreferenceRequest } from './put-preference.request';
import { PutContactPreferenceService } from './put-preference.service';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('v1/persons')
export class PutContactPreferenceController {
  constructor(private readonly preferences: PutContactPreferenceService) {}

  /** Records whether and how outreach may contact the person ("do not contact", allowed channels); outreach and reminders honor it. */
  @Put(':personId/contact-preference')
  @HttpCode(HttpStatus.OK)
  @Roles('coordinator', 'clinician', 'supervisor')
  @ApiZodBody(putContactPreferenceRequestSchema, { doNotContact: false, allowedChannels: ['phone'] })
  @AuditWrite(contactPreferenceWritten)
  put(
    @IdParam('personId', 'per') personId: string,
    @Body(new ZodValidationPipe(putContactPreferenceRequestSchema)) body: PutContactPreferenceRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.preferences.put(personId, body, principal);
  }
}
