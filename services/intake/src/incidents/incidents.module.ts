import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { ReviewQueueModule } from '../review-queue/review-queue.module';
import { AppendSupplementController } from './append-supplement/append-supplement.http.controller';
import { AppendSupplementService } from './append-supplement/append-supplement.service';
import { CorrectIncidentController } from './correct-incident/correct-incident.http.controller';
import { CorrectIncidentService } from './correct-incident/correct-incident.service';
import { CreateIncidentController } from './create-incident/create-incident.http.controller';
import { CreateIncidentService } from './create-incident/create-incident.service';
import { GetIncidentController } from './get-incident/get-incident.http.controller';
import { GetIncidentService } from './get-incident/get-incident.service';
import { IncidentStore } from './incident-store';
import { IncidentsCoreModule } from './incidents-core.module';
import { ListIncidentsController } from './list-incidents/list-incidents.http.controller';
import { PhiProtectionModule } from './phi-protection.module';
import { ReclassifyIncidentController } from './reclassify-incident/reclassify-incident.http.controller';
import { ReclassifyIncidentService } from './reclassify-incident/reclassify-incident.service';

/**
 * Incidents: report, read, list and search, correct, supplement, re-flag. Exports the
 * IncidentStore the bulk import writes through, so both paths store incidents alike.
 */
@Module({
  imports: [IncidentsCoreModule, PhiProtectionModule, PersonsModule, ReviewQueueModule],
  controllers: [
    // Search (POST /v1/incidents/search) is registered before routes with an :id segment.
    ListIncidentsController,
    CreateIncidentController,
    GetIncidentController,
    CorrectIncidentController,
    AppendSupplementController,
    ReclassifyIncidentController,
  ],
  providers: [
    CreateIncidentService,
    GetIncidentService,
    CorrectIncidentService,
    AppendSupplementService,
    ReclassifyIncidentService,
    IncidentStore,
  ],
  exports: [IncidentStore],
})
export class IncidentsModule {}
