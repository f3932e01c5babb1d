import type { MigrationInterface } from 'typeorm';
import { CalendarFeeds1765200000400 } from './migrations/1765200000400-calendar-feeds';

/** Migrations of the conference service's calendars tables, in order. */
export const calendarsMigrations: Array<new () => MigrationInterface> = [CalendarFeeds1765200000400];
