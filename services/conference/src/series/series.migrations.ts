import type { MigrationInterface } from 'typeorm';

/** Migrations of the conference service's series tables, in order. */
export const seriesMigrations: Array<new () => MigrationInterface> = [];
