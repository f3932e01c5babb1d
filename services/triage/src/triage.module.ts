import { Module } from '@nestjs/common';
import { AuditModule } from '@cit/audit';
import { CasesModule } from './cases/cases.module';
import { CrisisPlansModule } from './crisis-plans/crisis-plans.module';
import { IncidentReportedHandler } from './intake-queue/incident-reported/incident-reported.handler';
import { ListQueueController } from './intake-queue/list-queue/list-queue.http.controller';
import { ListQueueService } from './intake-queue/list-queue/list-queue.service';
import { ProgramModule } from './program/program.module';
import { RulesetsModule } from './rulesets/rulesets.module';

@Module({
  imports: [AuditModule.forService('triage'), ProgramModule, RulesetsModule, CasesModule, CrisisPlansModule],
  controllers: [IncidentReportedHandler, ListQueueController],
  providers: [ListQueueService],
})
export class TriageModule {}
