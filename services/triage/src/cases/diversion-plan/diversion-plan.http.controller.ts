import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditRead, AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { diversionPlanRead, diversionPlanWritten } from '../cases-audit';
import { writeDiversionPlanRequestSchema, type WriteDiversionPlanRequest } from './diversion-plan.request';
import { DiversionPlanService } from './diversion-plan.service';

/** Jail-diversion plans: visible to officers and supervisors only (charging recommendations are theirs to act on). */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class DiversionPlanController {
  constructor(private readonly plans: DiversionPlanService) {}

  @Get(':id/diversion-plan')
  @Roles('officer', 'supervisor')
  @ApiResponse({ status: 404, description: 'No such case in the caller’s department, or no plan' })
  @AuditRead(diversionPlanRead)
  read(@IdParam('id', 'case') id: string, @CurrentPrincipal() principal: Principal) {
    return this.plans.read(id, principal);
  }

  /** Writes a new version of the plan (the department must run a diversion program). */
  @Put(':id/diversion-plan')
  @Roles('officer', 'supervisor')
  @ApiZodBody(writeDiversionPlanRequestSchema, {
    treatmentGoals: ['Weekly outpatient counseling at the CBHC', 'Medication management'],
    chargeRecommendation: { action: 'hold', rationale: 'Engaged in treatment since the incident' },
    expectedVersion: 0,
  })
  @ApiResponse({ status: 409, description: 'No diversion program, the case is closed, or a stale expectedVersion' })
  @AuditWrite(diversionPlanWritten)
  write(
    @IdParam('id', 'case') id: string,
    @Body(new ZodValidationPipe(writeDiversionPlanRequestSchema)) body: WriteDiversionPlanRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.plans.write(id, body, principal);
  }
}
