import type { MigrationInterface } from 'typeorm';

/** Migrations of the conference service's nominations tables, in order. */
export const nominationsMigrations: Array<new () => MigrationInterface> = [];
