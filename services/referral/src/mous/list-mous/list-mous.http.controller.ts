import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ZodValidationPipe } from '@cit/service-kit';
import { listMousQuerySchema, type ListMousQuery } from './list-mous.query';
import { ListMousService } from './list-mous.service';

@ApiTags('MOUs')
@ApiBearerAuth()
@Controller('v1/mous')
export class ListMousController {
  constructor(private readonly mous: ListMousService) {}

  @Get()
  @Roles('coordinator', 'supervisor', 'admin')
  @ApiQuery({ name: 'expiringWithinDays', required: false, type: Number })
  list(
    @Query(new ZodValidationPipe(listMousQuerySchema)) query: ListMousQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.mous.list(query, principal);
  }
}
