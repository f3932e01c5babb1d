import { Module } from '@nestjs/common';
import { AgendaScheduler } from './agenda-scheduler';

/** Agenda slotting and the per-member agenda view. */
@Module({ providers: [AgendaScheduler], exports: [AgendaScheduler] })
export class AgendaModule {}
