import { Module } from '@nestjs/common';
import { IncidentsCoreModule } from '../incidents/incidents-core.module';
import { ListPersonIncidentsController } from './list-person-incidents/list-person-incidents.http.controller';
import { ListPersonIncidentsService } from './list-person-incidents/list-person-incidents.service';
import { MergePersonsController } from './merge-persons/merge-persons.http.controller';
import { MergePersonsService } from './merge-persons/merge-persons.service';
import { PersonMatcher } from './person-matcher.service';

/** Persons: matching subjects to persons, repeat contacts, merge and undo. Exports PersonMatcher for incident writers. */
@Module({
  imports: [IncidentsCoreModule],
  controllers: [ListPersonIncidentsController, MergePersonsController],
  providers: [PersonMatcher, ListPersonIncidentsService, MergePersonsService],
  exports: [PersonMatcher],
})
export class PersonsModule {}
