import { Body, Controller, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PartnerOnly, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { updateCapacityRequestSchema, type UpdateCapacityRequest } from './update-capacity.request';
import { UpdateCapacityService } from './update-capacity.service';

@ApiTags('partner API')
@ApiBearerAuth()
@Controller('v1/partner/services')
export class UpdateCapacityController {
  constructor(private readonly capacity: UpdateCapacityService) {}

  /** The calling agency's live capacity for one of its services (HSDS service_capacity). */
  @Put(':serviceId/capacity')
  @PartnerOnly()
  @ApiZodBody(updateCapacityRequestSchema)
  update(
    @Param('serviceId', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) serviceId: string,
    @Body(new ZodValidationPipe(updateCapacityRequestSchema)) body: UpdateCapacityRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.capacity.update(serviceId, body, principal);
  }
}
