import type { MigrationInterface } from 'typeorm';

/** Migrations of the conference service's agenda tables, in order. */
export const agendaMigrations: Array<new () => MigrationInterface> = [];
