import { Module } from '@nestjs/common';
import { CrisisPlanStore } from './crisis-plan.store';
import { CrisisPlansService } from './crisis-plans.service';
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
  controllers: [WriteCrisisPlanController, ReadCrisisPlanController],
  providers: [CrisisPlanStore, CrisisPlansService, WriteCrisisPlanService, ReadCrisisPlanService],
  exports: [CrisisPlansService],
})
export class CrisisPlansModule {}
