import { Module } from '@nestjs/common';
import { AgendaModule } from '../agenda/agenda.module';
import { ListAgenciesController } from '../agencies/list-agencies/list-agencies.http.controller';
import { ListAgenciesService } from '../agencies/list-agencies/list-agencies.service';
import { MouChangedHandler } from '../agencies/mou-changed/mou-changed.handler';
import { GetSettingsController } from '../settings/get-settings/get-settings.http.controller';
import { GetSettingsService } from '../settings/get-settings/get-settings.service';
import { PutSettingsController } from '../settings/put-settings/put-settings.http.controller';
import { PutSettingsService } from '../settings/put-settings/put-settings.service';
import { CreateSeriesService } from './create-series/create-series.service';
import { EndSeriesService } from './end-series/end-series.service';
import { SessionHorizonJob } from './horizon/session-horizon.job';
import { SessionHorizonService } from './horizon/session-horizon.service';
import { ReadSeriesService } from './read-series/read-series.service';
import { loadSeriesOptions, SERIES_OPTIONS } from './series-options';
import { SeriesController } from './series.http.controller';
import { CancelSessionService } from './sessions/cancel-session/cancel-session.service';
import { GetSessionService } from './sessions/get-session/get-session.service';
import { ListSessionsService } from './sessions/list-sessions/list-sessions.service';
import { RescheduleSessionService } from './sessions/reschedule-session/reschedule-session.service';
import { SessionWriter } from './sessions/session-writer';
import { SessionsController } from './sessions/sessions.http.controller';
import { UpdateSeriesService } from './update-series/update-series.service';

/**
 * Series, sessions on a rolling horizon (and the job extending it), department conference
 * settings, and the member-agency projection of referral's MOUs.
 */
@Module({
  imports: [AgendaModule],
  controllers: [
    GetSettingsController,
    PutSettingsController,
    ListAgenciesController,
    MouChangedHandler,
    SeriesController,
    SessionsController,
  ],
  providers: [
    { provide: SERIES_OPTIONS, useFactory: () => loadSeriesOptions() },
    GetSettingsService,
    PutSettingsService,
    ListAgenciesService,
    CreateSeriesService,
    UpdateSeriesService,
    EndSeriesService,
    ReadSeriesService,
    ListSessionsService,
    GetSessionService,
    CancelSessionService,
    RescheduleSessionService,
    SessionWriter,
    SessionHorizonService,
    SessionHorizonJob,
  ],
  exports: [SessionHorizonJob],
})
export class SeriesModule {}
