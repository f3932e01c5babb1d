import { Body, Controller, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { updatePresentationRequestSchema, type UpdatePresentationRequest } from './update-presentation.request';
import { UpdatePresentationService } from './update-presentation.service';

@ApiTags('nominations')
@ApiBearerAuth()
@Controller('v1/nominations')
export class UpdatePresentationController {
  constructor(private readonly nominations: UpdatePresentationService) {}

  /** Edits the de-identified presentation (age range, gender, risk factors, risk level, reason code) before the table. */
  @Patch(':id')
  @Roles('coordinator', 'supervisor')
  @ApiZodBody(updatePresentationRequestSchema, { ageRange: '25-34', riskFactors: ['mental-health', 'housing'] })
  @ApiResponse({
    status: 409,
    description: 'The table has decided, or the nomination is closed (problem+json with allowed)',
  })
  update(
    @IdParam('id', 'nom') id: string,
    @Body(new ZodValidationPipe(updatePresentationRequestSchema)) body: UpdatePresentationRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.nominations.update(id, body, principal);
  }
}
