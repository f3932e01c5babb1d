import { Module } from '@nestjs/common';
import { ImportsModule } from './imports/imports.module';
import { AppendSupplementController } from './incidents/append-supplement/append-supplement.http.controller';
import { AppendSupplementService } from './incidents/append-supplement/append-supplement.service';
import { CorrectIncidentController } from './incidents/correct-incident/correct-incident.http.controller';
import { CorrectIncidentService } from './incidents/correct-incident/correct-incident.service';
import { CreateIncidentController } from './incidents/create-incident/create-incident.http.controller';
import { CreateIncidentService } from './incidents/create-incident/create-incident.service';
import { GetIncidentController } from './incidents/get-incident/get-incident.http.controller';
import { GetIncidentService } from './incidents/get-incident/get-incident.service';
import { IncidentStore } from './incidents/incident-store';
import { IncidentsCoreModule } from './incidents/incidents-core.module';
import { ListIncidentsController } from './incidents/list-incidents/list-incidents.http.controller';
import { ReclassifyIncidentController } from './incidents/reclassify-incident/reclassify-incident.http.controller';
import { PersonsModule } from './persons/persons.module';
import { ReviewQueueModule } from './review-queue/review-queue.module';

@Module({
  imports: [IncidentsCoreModule, PersonsModule, ReviewQueueModule, ImportsModule],
  controllers: [
    // Search (POST /v1/incidents/search) is registered before routes with an :id segment.
    ListIncidentsController,
    CreateIncidentController,
    GetIncidentController,
    CorrectIncidentController,
    AppendSupplementController,
    ReclassifyIncidentController,
  ],
  providers: [CreateIncidentService, GetIncidentService, CorrectIncidentService, AppendSupplementService, IncidentStore],
})
export class IntakeModule {}
