import type { MigrationInterface } from 'typeorm';
import { ActionItemCancelled1765200000315 } from '../outcomes/migrations/1765200000315-action-item-cancelled';
import { OutcomesInitial1765200000310 } from '../outcomes/migrations/1765200000310-outcomes-initial';
import { AgendaInitial1765200000300 } from './migrations/1765200000300-agenda-initial';

/** Migrations of the conference service's agenda, outcome and attendance tables, in order. */
export const agendaMigrations: Array<new () => MigrationInterface> = [
  AgendaInitial1765200000300,
  OutcomesInitial1765200000310,
  ActionItemCancelled1765200000315,
];
