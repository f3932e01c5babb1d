import type { MigrationInterface } from 'typeorm';
import { ConferenceSeries1765200000100 } from './migrations/1765200000100-conference-series';

/** Migrations of the conference service's series tables, in order. */
export const seriesMigrations: Array<new () => MigrationInterface> = [ConferenceSeries1765200000100];
