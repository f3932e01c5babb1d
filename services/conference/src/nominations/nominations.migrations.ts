import type { MigrationInterface } from 'typeorm';
import { ConferenceNominations1765200000200 } from './migrations/1765200000200-conference-nominations';
import { NominationPhiSubjects1765400000100 } from './migrations/1765400000100-nomination-phi-subjects';

/** Migrations of the conference service's nominations tables, in order. */
export const nominationsMigrations: Array<new () => MigrationInterface> = [
  ConferenceNominations1765200000200,
  NominationPhiSubjects1765400000100,
];
