import { Module, type ModuleMetadata } from '@nestjs/common';
import { AuditModule } from '@cit/audit';
import { AgencyKeys } from './delivery/agency-keys';
import { ListDeliveriesController } from './delivery/list-deliveries/list-deliveries.http.controller';
import { ListDeliveriesService } from './delivery/list-deliveries/list-deliveries.service';
import { ManageWebhookController } from './delivery/manage-webhook/manage-webhook.http.controller';
import { ManageWebhookService } from './delivery/manage-webhook/manage-webhook.service';
import { WebhookDispatcher } from './delivery/webhook-dispatcher';
import { ExportDirectoryController } from './directory/export-directory/export-directory.http.controller';
import { ExportDirectoryService } from './directory/export-directory/export-directory.service';
import { HsdsValidator } from './directory/hsds-validator';
import { ImportDirectoryController } from './directory/import-directory/import-directory.http.controller';
import { ImportDirectoryService } from './directory/import-directory/import-directory.service';
import { UpdateCapacityController } from './directory/update-capacity/update-capacity.http.controller';
import { UpdateCapacityService } from './directory/update-capacity/update-capacity.service';
import { ListDisclosuresController } from './disclosure/list-disclosures/list-disclosures.http.controller';
import { ListDisclosuresService } from './disclosure/list-disclosures/list-disclosures.service';
import { RecordConsentController } from './disclosure/record-consent/record-consent.http.controller';
import { RecordConsentService } from './disclosure/record-consent/record-consent.service';
import { ListMousController } from './mous/list-mous/list-mous.http.controller';
import { ListMousService } from './mous/list-mous/list-mous.service';
import { UpsertMouController } from './mous/upsert-mou/upsert-mou.http.controller';
import { UpsertMouService } from './mous/upsert-mou/upsert-mou.service';
import { ListAgenciesController } from './partner-directory/list-agencies/list-agencies.http.controller';
import { ListAgenciesService } from './partner-directory/list-agencies/list-agencies.service';
import { DEFAULT_REFERRAL_OPTIONS, REFERRAL_OPTIONS, type ReferralOptions } from './referral-options';
import { CaseClosedHandler } from './referrals/case-closed/case-closed.handler';
import { CreateReferralController } from './referrals/create-referral/create-referral.http.controller';
import { CreateReferralService } from './referrals/create-referral/create-referral.service';
import { GetReferralController } from './referrals/get-referral/get-referral.http.controller';
import { GetReferralService } from './referrals/get-referral/get-referral.service';
import { PartnerReferralsController } from './referrals/partner-referrals/partner-referrals.http.controller';
import { PartnerReferralsService } from './referrals/partner-referrals/partner-referrals.service';
import { PartnerStatusController } from './referrals/partner-status/partner-status.http.controller';
import { PartnerStatusService } from './referrals/partner-status/partner-status.service';
import { ReassignReferralController } from './referrals/reassign-referral/reassign-referral.http.controller';
import { ReassignReferralService } from './referrals/reassign-referral/reassign-referral.service';
import { ReferralFhirController } from './referrals/referral-fhir/referral-fhir.http.controller';
import { ReferralFhirService } from './referrals/referral-fhir/referral-fhir.service';
import { ReferralRunner } from './referrals/referral-runner';
import { ReferralWorkflow } from './referrals/referral-workflow.service';
import { TriageCompletedHandler } from './routing/triage-completed/triage-completed.handler';
import { ReferralSettingsController } from './settings/update-settings/update-settings.http.controller';
import { ReferralSettingsService } from './settings/update-settings/update-settings.service';
import { FollowupEscalatedHandler } from './sla/followup-escalated/followup-escalated.handler';
import { SlaSweepService } from './sla/sla-sweep/sla-sweep.service';

/** The referral service's module metadata; tests pass shorter clocks. */
export function referralModuleMetadata(options: Partial<ReferralOptions> = {}): ModuleMetadata {
  return {
    imports: [AuditModule.forService('referral')],
    controllers: [
      ListAgenciesController,
      ImportDirectoryController,
      ExportDirectoryController,
      UpdateCapacityController,
      UpsertMouController,
      ListMousController,
      RecordConsentController,
      ListDisclosuresController,
      ReferralSettingsController,
      CreateReferralController,
      GetReferralController,
      ReassignReferralController,
      ReferralFhirController,
      PartnerReferralsController,
      PartnerStatusController,
      ManageWebhookController,
      ListDeliveriesController,
      TriageCompletedHandler,
      CaseClosedHandler,
      FollowupEscalatedHandler,
    ],
    providers: [
      { provide: REFERRAL_OPTIONS, useValue: { ...DEFAULT_REFERRAL_OPTIONS, ...options } },
      { provide: HsdsValidator, useFactory: () => new HsdsValidator() },
      ListAgenciesService,
      ImportDirectoryService,
      ExportDirectoryService,
      UpdateCapacityService,
      UpsertMouService,
      ListMousService,
      RecordConsentService,
      ListDisclosuresService,
      ReferralSettingsService,
      AgencyKeys,
      ReferralWorkflow,
      ReferralRunner,
      WebhookDispatcher,
      SlaSweepService,
      CreateReferralService,
      GetReferralService,
      ReassignReferralService,
      ReferralFhirService,
      PartnerReferralsService,
      PartnerStatusService,
      ManageWebhookService,
      ListDeliveriesService,
    ],
  };
}

@Module(referralModuleMetadata())
export class ReferralModule {}
