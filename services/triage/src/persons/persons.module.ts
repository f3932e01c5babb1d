import { Module } from '@nestjs/common';
import { ContactPreferenceAnnouncer } from './contact-preferences/contact-preference-events.service';
import { ContactPreferenceStore } from './contact-preferences/contact-preference.store';
import { GetContactPreferenceController } from './contact-preferences/get-preference/get-preference.http.controller';
import { GetContactPreferenceService } from './contact-preferences/get-preference/get-preference.service';
import { PutContactPreferenceController } from './contact-preferences/put-preference/put-preference.http.controller';
import { PutContactPreferenceService } from './contact-preferences/put-preference/put-preference.service';
import { PersonMergeHandler } from './person-merged/person-merged.handler';
import { PersonMovesService } from './person-merged/person-moves.service';

/**
 * Persons as triage knows them (ids from intake): contact preferences ("do not contact",
 * allowed channels) and intake's person merges and unmerges, which move case history.
 * Exports ContactPreferenceStore to cases (outreach honors the effective preference).
 */
@Module({
  controllers: [GetContactPreferenceController, PutContactPreferenceController, PersonMergeHandler],
  providers: [
    ContactPreferenceStore,
    ContactPreferenceAnnouncer,
    GetContactPreferenceService,
    PutContactPreferenceService,
    PersonMovesService,
  ],
  exports: [ContactPreferenceStore],
})
export class PersonsModule {}
