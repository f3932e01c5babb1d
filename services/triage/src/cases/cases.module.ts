import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { ProgramModule } from '../program/program.module';
import { AssignCaseController } from './assign-case/assign-case.http.controller';
import { AssignCaseService } from './assign-case/assign-case.service';
import { CaseSettingsReader } from './case-settings';
import { ChangeStatusController } from './change-status/change-status.http.controller';
import { ChangeStatusService } from './change-status/change-status.service';
import { DiversionPlanController } from './diversion-plan/diversion-plan.http.controller';
import { DiversionPlanService } from './diversion-plan/diversion-plan.service';
import { GetCaseController } from './get-case/get-case.http.controller';
import { GetCaseService } from './get-case/get-case.service';
import { ListCasesController } from './list-cases/list-cases.http.controller';
import { ListCasesService } from './list-cases/list-cases.service';
import { LogContactController } from './log-contact/log-contact.http.controller';
import { LogContactService } from './log-contact/log-contact.service';
import { OpenCaseForDecisionService } from './open-case/open-case-for-decision.service';
import { OpenCaseController } from './open-case/open-case.http.controller';
import { OpenCaseService } from './open-case/open-case.service';

/**
 * Care-coordination cases: listing, reading, opening by hand, the outreach log, the status
 * lifecycle and diversion plans. Exports OpenCaseForDecisionService for triage decisions (a
 * decision that needs follow-up opens a case or joins the person's active case, in the
 * decision's transaction).
 */
@Module({
  imports: [ProgramModule, PersonsModule],
  controllers: [
    ListCasesController,
    OpenCaseController,
    GetCaseController,
    LogContactController,
    ChangeStatusController,
    AssignCaseController,
    DiversionPlanController,
  ],
  providers: [
    OpenCaseForDecisionService,
    CaseSettingsReader,
    ListCasesService,
    GetCaseService,
    OpenCaseService,
    LogContactService,
    ChangeStatusService,
    AssignCaseService,
    DiversionPlanService,
  ],
  exports: [OpenCaseForDecisionService],
})
export class CasesModule {}
