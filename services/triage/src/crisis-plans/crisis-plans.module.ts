import { Module } from '@nestjs/common';
import { ProgramModule } from '../program/program.module';
import { CrisisPlanStore } from './crisis-plan.store';
import { CrisisPlansService } from './crisis-plans.service';
import { IncidentCrisisPlanController } from './incident-plan/incident-plan.http.controller';
import { IncidentCrisisPlanService } from './incident-plan/incident-plan.service';
import { ListCrisisPlanVersionsController } from './list-versions/list-versions.http.controller';
import { ListCrisisPlanVersionsService } from './list-versions/list-versions.service';
import { ReadCrisisPlanController } from './read-plan/read-plan.http.controller';
import { ReadCrisisPlanService } from './read-plan/read-plan.service';
import { WriteCrisisPlanController } from './write-plan/write-plan.http.controller';
import { WriteCrisisPlanService } from './write-plan/write-plan.service';

/**
 * Crisis response plans: written by coordinators per person (versioned, encrypted), read by
 * care staff and, from an incident, by CJIS-cleared officers. Exports CrisisPlansService
 * (hasCurrentPlan) for triage decisions.
 */
@Module({
  imports: [ProgramModule],
  controllers: [
    WriteCrisisPlanController,
    ReadCrisisPlanController,
    ListCrisisPlanVersionsController,
    IncidentCrisisPlanController,
  ],
  providers: [
    CrisisPlanStore,
    CrisisPlansService,
    WriteCrisisPlanService,
    ReadCrisisPlanService,
    IncidentCrisisPlanService,
    ListCrisisPlanVersionsService,
  ],
  exports: [CrisisPlansService],
})
export class CrisisPlansModule {}
