import { Module } from '@nestjs/common';
import { AuditModule } from '@cit/audit';
import { CasesModule } from './cases/cases.module';
import { CrisisPlansModule } from './crisis-plans/crisis-plans.module';
import { DecisionsModule } from './decisions/decisions.module';
import { ListQueueController } from './intake-queue/list-queue/list-queue.http.controller';
import { ListQueueService } from './intake-queue/list-queue/list-queue.service';
import { ProgramModule } from './program/program.module';
import { ReviewModule } from './review/review.module';
import { RulesetsModule } from './rulesets/rulesets.module';

@Module({
  imports: [
    AuditModule.forService('triage'),
    ProgramModule,
    RulesetsModule,
    DecisionsModule,
    ReviewModule,
    CasesModule,
    CrisisPlansModule,
  ],
  controllers: [ListQueueController],
  providers: [ListQueueService],
})
export class TriageModule {}
