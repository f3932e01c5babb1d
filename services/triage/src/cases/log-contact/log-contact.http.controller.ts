import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditInService } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { logContactRequestSchema, type LogContactRequest } from './log-contact.request';
import { LogContactService } from './log-contact.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class LogContactController {
  constructor(private readonly contacts: LogContactService) {}

  /** Logs an outreach contact (attempted or made); a contact that reached the person moves an open case in contact. */
  @Post(':id/contacts')
  @Roles('coordinator', 'clinician', 'supervisor', 'officer')
  @ApiZodBody(logContactRequestSchema, {
    outcome: 'made',
    channel: 'in-person-with-officer',
    contactedAt: '2026-11-28T10:30:00-05:00',
    notes: 'Met at the shelter; agreed to an intake appointment on Tuesday.',
  })
  @ApiResponse({ status: 201, description: 'Logged; cit.case.updated.v1 carries the contact' })
  @ApiResponse({ status: 404, description: 'No such case in the caller’s department' })
  @ApiResponse({
    status: 409,
    description: 'The case is closed, or the contact preference refuses staff outreach (do not contact, channel)',
  })
  @AuditInService()
  log(
    @IdParam('id', 'case') id: string,
    @Body(new ZodValidationPipe(logContactRequestSchema)) body: LogContactRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.contacts.log(id, body, principal);
  }
}
