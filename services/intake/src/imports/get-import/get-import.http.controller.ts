import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam, ZodValidationPipe } from '@cit/service-kit';
import { getImportQuerySchema, type GetImportQuery } from './get-import.query';
import { GetImportService } from './get-import.service';
import { importRead } from '../../audit/intake-audit';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('v1/imports')
export class GetImportController {
  constructor(private readonly service: GetImportService) {}

  @Get(':id')
  @Roles('admin', 'supervisor')
  @ApiQuery({
    name: 'errorLimit',
    required: false,
    description: 'lines of the error report per page (all problems of a line together), 0..1000 (default 1000)',
  })
  @ApiQuery({
    name: 'errorsCursor',
    required: false,
    description: 'errors.nextCursor of the previous page (null on the last page)',
  })
  @ApiResponse({ status: 200, description: 'Status, counters and the error report (line, field, rule; never values)' })
  @ApiResponse({ status: 404, description: 'No such import in the caller’s department' })
  @AuditRead(importRead)
  get(
    @IdParam('id') id: string,
    @Query(new ZodValidationPipe(getImportQuerySchema)) query: GetImportQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.service.get(id, query, principal);
  }
}
