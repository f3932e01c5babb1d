import { Module } from '@nestjs/common';
import { AuditModule } from '@cit/audit';
import { AgendaModule } from './agenda/agenda.module';
import { CalendarsModule } from './calendars/calendars.module';
import { NominationsModule } from './nominations/nominations.module';
import { OutcomesModule } from './outcomes/outcomes.module';
import { SeriesModule } from './series/series.module';

@Module({
  imports: [
    AuditModule.forService('conference'),
    SeriesModule,
    NominationsModule,
    AgendaModule,
    OutcomesModule,
    CalendarsModule,
  ],
})
export class ConferenceModule {}
