import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam, ZodValidationPipe } from '@cit/service-kit';
import { listPersonIncidentsQuerySchema, type ListPersonIncidentsQuery } from './list-person-incidents.query';
import { ListPersonIncidentsService } from './list-person-incidents.service';
import { personIncidentsListed } from '../../audit/intake-audit';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('v1/persons')
export class ListPersonIncidentsController {
  constructor(private readonly service: ListPersonIncidentsService) {}

  @Get(':id/incidents')
  @Roles('clinician', 'coordinator', 'supervisor', 'admin')
  @ApiQuery({ name: 'limit', required: false, description: '1..100, default 25' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiResponse({
    status: 200,
    description: 'Incidents of the person and of persons merged into it, newest first; codes only',
  })
  @ApiResponse({ status: 404, description: 'No such person in the caller’s department' })
  @AuditRead(personIncidentsListed)
  list(
    @IdParam('id') id: string,
    @Query(new ZodValidationPipe(listPersonIncidentsQuerySchema)) query: ListPersonIncidentsQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.service.list(id, query, principal);
  }
}
