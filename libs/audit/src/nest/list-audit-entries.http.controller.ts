import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ZodValidationPipe } from '@cit/service-kit';
import { listAuditEntriesQuerySchema, type ListAuditEntriesQuery } from './list-audit-entries.query';
import { ListAuditEntriesService } from './list-audit-entries.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class ListAuditEntriesController {
  constructor(@Inject(ListAuditEntriesService) private readonly entries: ListAuditEntriesService) {}

  /** The PHI access audit log of the caller's department (this service's chain), newest first. */
  @Get()
  @Roles('auditor')
  @ApiQuery({ name: 'person', required: false, description: 'entries that touched this person id' })
  @ApiQuery({ name: 'user', required: false, description: 'entries of this user (token subject)' })
  @ApiQuery({ name: 'from', required: false, description: 'occurredAt >= from (ISO 8601 with offset)' })
  @ApiQuery({ name: 'to', required: false, description: 'occurredAt < to (ISO 8601 with offset)' })
  @ApiQuery({ name: 'limit', required: false, description: '1..200, default 50' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page (null on the last page)' })
  @ApiResponse({
    status: 200,
    description:
      'Entries: who (subject, roles, agency), what (record type and id, person ids, field names; never values), when, why (purpose of use), from where (request id, client address), and the chain hash',
  })
  @ApiResponse({ status: 403, description: 'The caller is not an auditor' })
  list(
    @Query(new ZodValidationPipe(listAuditEntriesQuerySchema)) query: ListAuditEntriesQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.entries.list(query, principal);
  }
}
