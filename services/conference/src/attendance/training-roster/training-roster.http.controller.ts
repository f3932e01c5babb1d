import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ZodValidationPipe } from '@cit/service-kit';
import { trainingRosterQuerySchema, type TrainingRosterQuery } from './training-roster.query';
import { TrainingRosterService } from './training-roster.service';

@ApiTags('attendance')
@ApiBearerAuth()
@Controller('v1/training')
export class TrainingRosterController {
  constructor(private readonly roster: TrainingRosterService) {}

  /** The department's CIT-trained officers or provider staff: latest completed cross-training per person. */
  @Get('roster')
  @Roles('coordinator', 'supervisor', 'admin')
  @ApiQuery({ name: 'traineeKind', enum: ['officer', 'provider-staff'] })
  @ApiQuery({ name: 'since', required: false, description: 'YYYY-MM-DD' })
  list(
    @Query(new ZodValidationPipe(trainingRosterQuerySchema)) query: TrainingRosterQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.roster.roster(query, principal);
  }
}
