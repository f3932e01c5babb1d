import { Module, type DynamicModule } from '@nestjs/common';
import { FireReminderService } from './reminders/fire-reminder/fire-reminder.service';
import { ReminderWorkers } from './reminders/fire-reminder/reminder-workers';
import { DEFAULT_FOLLOWUP_OPTIONS, FOLLOWUP_OPTIONS, type FollowupOptions } from './reminders/followup-options';
import { GetReminderController } from './reminders/get-reminder/get-reminder.http.controller';
import { GetReminderService } from './reminders/get-reminder/get-reminder.service';
import { ReconcilerService } from './reminders/reconciler/reconciler.service';
import { ReminderQueues } from './reminders/reminder-queues';
import { CaseContactService } from './scheduling/case-contact.service';
import { ConferenceRemindersService } from './scheduling/conference-reminders.service';
import { FollowupEventsHandler } from './scheduling/followup-events.handler';
import { MouExpiryService } from './scheduling/mou-expiry.service';
import { ReferralSlaService } from './scheduling/referral-sla.service';
import { DeliverNotificationService } from './notifications/deliver-notification.service';
import { NotificationEndpointsController } from './notifications/endpoints/notification-endpoints.http.controller';
import { NotificationEndpointsService } from './notifications/endpoints/notification-endpoints.service';
import { FeedController } from './notifications/feed/feed.http.controller';
import { FeedService } from './notifications/feed/feed.service';
import { FollowupMetrics } from './ops/followup-metrics';
import { BullBoardInstaller } from './ops/bull-board';
import { OpsController } from './ops/ops.http.controller';
import { OpsService } from './ops/ops.service';
import { FollowupSettingsController } from './settings/followup-settings/followup-settings.http.controller';
import { FollowupSettingsService } from './settings/followup-settings/followup-settings.service';

/**
 * Follow-up: reminders scheduled from case, referral, conference and MOU events (PostgreSQL
 * first, BullMQ delayed jobs derived), fired exactly once, notifications in three channels,
 * the reconciler, and the ops surface. `forRoot` takes test-time tunables; production uses the defaults.
 */
@Module({})
export class FollowupModule {
  static forRoot(options: Partial<FollowupOptions> = {}): DynamicModule {
    return {
      module: FollowupModule,
      controllers: [
        FollowupEventsHandler,
        FollowupSettingsController,
        NotificationEndpointsController,
        FeedController,
        GetReminderController,
        OpsController,
      ],
      providers: [
        { provide: FOLLOWUP_OPTIONS, useValue: { ...DEFAULT_FOLLOWUP_OPTIONS, ...options } },
        ReminderQueues,
        FollowupMetrics,
        FireReminderService,
        DeliverNotificationService,
        ReminderWorkers,
        ReconcilerService,
        CaseContactService,
        ReferralSlaService,
        ConferenceRemindersService,
        MouExpiryService,
        FollowupSettingsService,
        NotificationEndpointsService,
        FeedService,
        GetReminderService,
        OpsService,
        BullBoardInstaller,
      ],
      exports: [ReminderQueues, ReconcilerService, FireReminderService, FOLLOWUP_OPTIONS],
    };
  }
}

/** The service as deployed. */
@Module({ imports: [FollowupModule.forRoot()] })
export class FollowupAppModule {}
