import { Body, Controller, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, ZodValidationPipe } from '@cit/service-kit';
import { putProgramExample, putProgramRequestSchema, type PutProgramRequest } from './put-program.request';
import { PutProgramService } from './put-program.service';

@ApiTags('program')
@ApiBearerAuth()
@Controller('v1/program')
export class PutProgramController {
  constructor(private readonly program: PutProgramService) {}

  /** Replaces the department's program settings and bumps their version. */
  @Put()
  @Roles('admin')
  @ApiZodBody(putProgramRequestSchema, putProgramExample)
  @ApiResponse({ status: 200, description: 'The saved settings with their version and model effects' })
  @ApiResponse({ status: 400, description: 'problem+json naming each invalid field (e.g. businessHours.0.closes)' })
  @ApiResponse({ status: 409, description: 'expectedVersion is stale (program-settings-version-conflict)' })
  put(
    @Body(new ZodValidationPipe(putProgramRequestSchema)) body: PutProgramRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.program.put(body, principal);
  }
}
