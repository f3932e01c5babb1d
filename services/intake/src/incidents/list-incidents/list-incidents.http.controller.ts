import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { listIncidentsQuerySchema, type ListIncidentsQuery } from './list-incidents.query';
import { searchIncidentsRequestSchema, type SearchIncidentsRequest } from './search-incidents.request';
import { ListIncidentsService } from './list-incidents.service';
import { incidentsListed } from '../../audit/intake-audit';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class ListIncidentsController {
  constructor(private readonly incidents: ListIncidentsService) {}

  /** Incidents by time range, BH flag, district and person, newest first. */
  @Get()
  @Roles('officer', 'clinician', 'coordinator', 'supervisor', 'admin')
  @AuditRead(incidentsListed)
  list(
    @Query(new ZodValidationPipe(listIncidentsQuerySchema)) filters: ListIncidentsQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.incidents.list(filters, principal);
  }

  /** The same list filtered by a subject's identity, sent in the body so names never appear in URLs or access logs. */
  @Post('search')
  @HttpCode(200)
  @Roles('clinician', 'coordinator', 'supervisor', 'admin')
  @ApiZodBody(searchIncidentsRequestSchema)
  @AuditRead(incidentsListed)
  search(
    @Body(new ZodValidationPipe(searchIncidentsRequestSchema)) body: SearchIncidentsRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.incidents.list(body, principal);
  }
}
