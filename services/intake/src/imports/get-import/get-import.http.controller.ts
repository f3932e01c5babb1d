import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ZodValidationPipe } from '@cit/service-kit';
import { getImportQuerySchema, type GetImportQuery } from './get-import.request';
import { GetImportService } from './get-import.service';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('v1/imports')
export class GetImportController {
  constructor(private readonly service: GetImportService) {}

  @Get(':id')
  @Roles('admin', 'supervisor')
  @ApiQuery({ name: 'errorLimit', required: false, description: 'error rows per page, 0..1000 (default 1000)' })
  @ApiQuery({ name: 'errorsAfterLine', required: false, description: 'errors.nextAfterLine of the previous page' })
  @ApiResponse({ status: 200, description: 'Status, counters and the error report (line, field, rule; never values)' })
  @ApiResponse({ status: 404, description: 'No such import in the caller’s department' })
  get(@Param('id') id: string, @Query(new ZodValidationPipe(getImportQuerySchema)) query: GetImportQuery, @CurrentPrincipal() principal: Principal) {
    return this.service.get(id, query, principal);
  }
}
