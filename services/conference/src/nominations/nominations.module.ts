import { Module } from '@nestjs/common';
import { AgendaModule } from '../agenda/agenda.module';
import { PersonsModule } from '../persons/persons.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { FamilyFormRateLimiter } from './family-form/family-form-rate-limiter';
import { FamilyNominationController } from './family-form/family-nomination.http.controller';
import { FamilyNominationService } from './family-form/family-nomination.service';
import {
  GetNominationController,
  PartnerGetNominationController,
} from './get-nomination/get-nomination.http.controller';
import { GetNominationService } from './get-nomination/get-nomination.service';
import { ListNominationsController } from './list-nominations/list-nominations.http.controller';
import { ListNominationsService } from './list-nominations/list-nominations.service';
import { NominationIdentity } from './nomination-identity';
import { loadNominationOptions, NOMINATION_OPTIONS } from './nomination-options';
import { NominationWriter } from './nomination-writer.service';
import { PartnerNominationController } from './submit-nomination/partner-nomination.http.controller';
import { StaffNominationController } from './submit-nomination/staff-nomination.http.controller';
import { SubmitNominationService } from './submit-nomination/submit-nomination.service';
import { NominationRequestedHandler } from './triage-requested/nomination-requested.handler';
import { TriageNominationService } from './triage-requested/triage-nomination.service';
import { UpdatePresentationController } from './update-presentation/update-presentation.http.controller';
import { UpdatePresentationService } from './update-presentation/update-presentation.service';
import { VerifyNominationController } from './verify-nomination/verify-nomination.http.controller';
import { VerifyNominationService } from './verify-nomination/verify-nomination.service';
import { WithdrawNominationController } from './withdraw-nomination/withdraw-nomination.http.controller';
import { WithdrawNominationService } from './withdraw-nomination/withdraw-nomination.service';

/** Nominations from every source (partner, staff, family form, triage) and, through its imports, persons and the four filters. */
@Module({
  imports: [AgendaModule, PersonsModule, PrivacyModule],
  controllers: [
    StaffNominationController,
    PartnerNominationController,
    FamilyNominationController,
    NominationRequestedHandler,
    VerifyNominationController,
    WithdrawNominationController,
    ListNominationsController,
    GetNominationController,
    PartnerGetNominationController,
    UpdatePresentationController,
  ],
  providers: [
    { provide: NOMINATION_OPTIONS, useFactory: () => loadNominationOptions() },
    NominationIdentity,
    NominationWriter,
    SubmitNominationService,
    FamilyFormRateLimiter,
    FamilyNominationService,
    TriageNominationService,
    VerifyNominationService,
    WithdrawNominationService,
    ListNominationsService,
    GetNominationService,
    UpdatePresentationService,
  ],
})
export class NominationsModule {}
