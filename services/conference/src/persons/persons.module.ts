import { Module } from '@nestjs/common';
import { AgendaModule } from '../agenda/agenda.module';
import { NominationWriter } from '../nominations/nomination-writer.service';
import { loadNominationOptions, NOMINATION_OPTIONS } from '../nominations/nomination-options';
import { IncidentReportedHandler } from './incident-reported.handler';
import { PersonMergedHandler, PersonUnmergedHandler } from './person-merged.handler';
import { PersonMergeService } from './person-merge.service';
import { PersonRetentionService } from './person-retention.service';

/**
 * Persons as the conference service knows them: a minimal projection of intake's incidents
 * (the identity source of triage's automatic nominations), person merges and unmerges, and the
 * retention sweep of persons never nominated.
 */
@Module({
  imports: [AgendaModule],
  controllers: [IncidentReportedHandler, PersonMergedHandler, PersonUnmergedHandler],
  providers: [
    { provide: NOMINATION_OPTIONS, useFactory: () => loadNominationOptions() },
    NominationWriter,
    PersonMergeService,
    PersonRetentionService,
  ],
  exports: [PersonRetentionService],
})
export class PersonsModule {}
