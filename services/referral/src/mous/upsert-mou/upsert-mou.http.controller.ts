import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { mouIdSchema, upsertMouRequestSchema, type UpsertMouRequest } from './upsert-mou.request';
import { UpsertMouService } from './upsert-mou.service';

@ApiTags('MOUs')
@ApiBearerAuth()
@Controller('v1/mous')
export class UpsertMouController {
  constructor(private readonly mous: UpsertMouService) {}

  /** Creates or replaces an MOU (revision + 1); emits cit.referral.mou-changed.v1. */
  @Put(':id')
  @Roles('admin')
  @ApiZodBody(upsertMouRequestSchema)
  upsert(
    @Param('id', new ZodValidationPipe(mouIdSchema)) id: string,
    @Body(new ZodValidationPipe(upsertMouRequestSchema)) body: UpsertMouRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.mous.upsert(id, body, principal);
  }
}
