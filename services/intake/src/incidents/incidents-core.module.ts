import { Module } from '@nestjs/common';
import { IncidentHistory } from './incident-history.service';
import { ListIncidentsService } from './list-incidents/list-incidents.service';
import { IncidentCodingService } from './reclassify-incident/incident-coding.service';

/** Incident operations other use-case areas build on (the review queue re-flags, persons list repeat contacts); no controllers. */
@Module({
  providers: [IncidentHistory, IncidentCodingService, ListIncidentsService],
  exports: [IncidentHistory, IncidentCodingService, ListIncidentsService],
})
export class IncidentsCoreModule {}
