import type { MigrationInterface } from 'typeorm';

/** Migrations of the conference service's calendars tables, in order. */
export const calendarsMigrations: Array<new () => MigrationInterface> = [];
