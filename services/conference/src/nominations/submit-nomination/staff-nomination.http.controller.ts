import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditInService } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import {
  nominationRequestExample,
  staffNominationRequestSchema,
  type StaffNominationRequest,
} from './nomination.request';
import { SubmitNominationService } from './submit-nomination.service';

@ApiTags('nominations')
@ApiBearerAuth()
@Controller('v1/nominations')
export class StaffNominationController {
  constructor(private readonly nominations: SubmitNominationService) {}

  /** A staff member nominates a person for a case conference; open at once and placed on the next agenda with room. */
  @Post()
  @Roles('officer', 'clinician', 'coordinator', 'supervisor')
  @ApiZodBody(staffNominationRequestSchema, nominationRequestExample)
  @ApiResponse({ status: 201, description: 'Open; placed on an agenda when a session has room before its cutoff' })
  @ApiResponse({ status: 409, description: 'The person already has an open nomination (open-nomination-exists)' })
  @AuditInService()
  submit(
    @Body(new ZodValidationPipe(staffNominationRequestSchema)) body: StaffNominationRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.nominations.fromStaff(body, principal);
  }
}
