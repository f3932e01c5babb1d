import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { appendSupplementRequestSchema, type AppendSupplementRequest } from './append-supplement.request';
import { AppendSupplementService } from './append-supplement.service';
import { supplementAppended } from '../../audit/intake-audit';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class AppendSupplementController {
  constructor(private readonly supplements: AppendSupplementService) {}

  @Post(':id/supplements')
  @Roles('officer', 'clinician', 'coordinator', 'supervisor', 'admin')
  @ApiZodBody(appendSupplementRequestSchema)
  @ApiResponse({ status: 201, description: 'Supplement appended; cit.incident.updated.v1 emitted' })
  @AuditWrite(supplementAppended)
  append(
    @IdParam('id') id: string,
    @Body(new ZodValidationPipe(appendSupplementRequestSchema)) body: AppendSupplementRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.supplements.append(id, body.narrative, principal);
  }
}
