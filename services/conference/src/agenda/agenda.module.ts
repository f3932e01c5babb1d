import { Module } from '@nestjs/common';
import { AGENDA_OPTIONS, loadAgendaOptions } from './agenda-options';
import { AgendaScheduler } from './agenda-scheduler';
import { AgendaSweepService } from './agenda-sweep/agenda-sweep.service';
import { GetAgendaController } from './get-agenda/get-agenda.http.controller';
import { GetAgendaService } from './get-agenda/get-agenda.service';

/**
 * Agenda slotting (AgendaScheduler, called by series and nominations in their transactions),
 * the periodic carry-over sweep and the per-member agenda view.
 */
@Module({
  controllers: [GetAgendaController],
  providers: [
    { provide: AGENDA_OPTIONS, useFactory: () => loadAgendaOptions() },
    AgendaScheduler,
    AgendaSweepService,
    GetAgendaService,
  ],
  exports: [AgendaScheduler],
})
export class AgendaModule {}
