import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam, ZodValidationPipe } from '@cit/service-kit';
import { listStaffQuerySchema, type ListStaffQuery } from './list-staff.query';
import { ListStaffService } from './list-staff.service';

@ApiTags('staff')
@ApiBearerAuth()
@Controller('v1/staff')
export class ListStaffController {
  constructor(private readonly staff: ListStaffService) {}

  /** The department's staff members with their roles, unit or sector and CJIS clearance. */
  @Get()
  @Roles('admin', 'supervisor', 'coordinator')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(listStaffQuerySchema)) query: ListStaffQuery,
  ) {
    return this.staff.list(principal, query);
  }

  @Get(':id')
  @Roles('admin', 'supervisor', 'coordinator')
  get(@CurrentPrincipal() principal: Principal, @IdParam('id', 'stf') id: string) {
    return this.staff.get(principal, id);
  }
}
