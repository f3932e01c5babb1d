import { Module } from '@nestjs/common';
import { ContactPreferenceStore } from '../persons/contact-preferences/contact-preference.store';
import { CaseSettingsReader } from './case-settings';
import { OpenCaseForDecisionService } from './open-case/open-case-for-decision.service';

/**
 * Care-coordination cases. Exports OpenCaseForDecisionService for triage decisions (a decision
 * that needs follow-up opens a case or joins the person's active case, in the decision's transaction).
 */
@Module({
  providers: [OpenCaseForDecisionService, CaseSettingsReader, ContactPreferenceStore],
  exports: [OpenCaseForDecisionService],
})
export class CasesModule {}
