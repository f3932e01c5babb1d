import { Body, Controller, HttpCode, HttpStatus, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { crisisPlanWritten } from '../crisis-plans-audit';
import { writeCrisisPlanRequestSchema, type WriteCrisisPlanRequest } from './write-plan.request';
import { WriteCrisisPlanService } from './write-plan.service';

@ApiTags('crisis plans')
@ApiBearerAuth()
@Controller('v1/persons')
export class WriteCrisisPlanController {
  constructor(private readonly plans: WriteCrisisPlanService) {}

  /** Writes a new version of the person's crisis response plan (earlier versions are kept, retired). */
  @Put(':personId/crisis-plan')
  @HttpCode(HttpStatus.OK)
  @Roles('coordinator', 'clinician', 'supervisor')
  @ApiZodBody(writeCrisisPlanRequestSchema, {
    content: {
      whoToCall: [{ name: 'Maria (sister)', relationship: 'family', phone: '+1 617 555 0142' }],
      whatHelps: ['Speak slowly, give space', 'Mention the dog, Biscuit'],
      whatEscalates: ['Raised voices', 'Being touched without warning'],
      safetyNotes: 'No weapons history. Startles at sirens.',
      preferredLanguage: 'pt-BR',
    },
    reviewDate: '2027-03-01',
    expectedVersion: 0,
  })
  @ApiResponse({ status: 409, description: 'expectedVersion is stale' })
  @AuditWrite(crisisPlanWritten)
  write(
    @IdParam('personId', 'per') personId: string,
    @Body(new ZodValidationPipe(writeCrisisPlanRequestSchema)) body: WriteCrisisPlanRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.plans.write(personId, body, principal);
  }
}
