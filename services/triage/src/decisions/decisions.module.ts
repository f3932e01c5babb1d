import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { CrisisPlansModule } from '../crisis-plans/crisis-plans.module';
import { IncidentReportedHandler } from '../intake-queue/incident-reported/incident-reported.handler';
import { ProgramModule } from '../program/program.module';
import { RepeatContactsService } from '../repeat-contacts/repeat-contacts.service';
import { RulesetsModule } from '../rulesets/rulesets.module';
import { GetDecisionController } from './get-decision/get-decision.http.controller';
import { GetDecisionService } from './get-decision/get-decision.service';
import { IncidentReclassifiedHandler } from './incident-reclassified/incident-reclassified.handler';
import { TriageDecider } from './triage-decider.service';

/**
 * Triage decisions: made from cit.incident.reported.v1 and again from
 * cit.incident.reclassified.v1 (superseding), read through /v1/decisions. Exports the decider
 * to the supervisor review.
 */
@Module({
  imports: [ProgramModule, RulesetsModule, CasesModule, CrisisPlansModule],
  controllers: [IncidentReportedHandler, IncidentReclassifiedHandler, GetDecisionController],
  providers: [TriageDecider, RepeatContactsService, GetDecisionService],
  exports: [TriageDecider],
})
export class DecisionsModule {}
