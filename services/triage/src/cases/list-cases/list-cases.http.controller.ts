import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ZodValidationPipe } from '@cit/service-kit';
import { casesListed } from '../cases-audit';
import { listCasesQuerySchema, type ListCasesQuery } from './list-cases.query';
import { ListCasesService } from './list-cases.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class ListCasesController {
  constructor(private readonly cases: ListCasesService) {}

  /** Care-coordination cases of the caller's department by status, person and assignee, newest first. */
  @Get()
  @Roles('clinician', 'coordinator', 'supervisor', 'admin')
  @AuditRead(casesListed)
  list(
    @Query(new ZodValidationPipe(listCasesQuerySchema)) filters: ListCasesQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.cases.list(filters, principal);
  }
}
