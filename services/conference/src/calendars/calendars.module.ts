import { Module } from '@nestjs/common';
import { CALENDARS_OPTIONS, loadCalendarsOptions } from './calendars-options';
import { ManageFeedsController } from './manage-feeds/manage-feeds.http.controller';
import { ManageFeedsService } from './manage-feeds/manage-feeds.service';
import { ServeFeedController } from './serve-feed/serve-feed.http.controller';
import { ServeFeedService } from './serve-feed/serve-feed.service';

/** iCalendar feeds per member agency and per series, behind revocable feed tokens. */
@Module({
  controllers: [ManageFeedsController, ServeFeedController],
  providers: [
    { provide: CALENDARS_OPTIONS, useFactory: () => loadCalendarsOptions() },
    ManageFeedsService,
    ServeFeedService,
  ],
})
export class CalendarsModule {}
