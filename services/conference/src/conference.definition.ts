import { AuditLogTables1764979200000 } from '@cit/audit';
import {
  messagingEntities,
  MessagingOutboxStatus1764633600000,
  MessagingTables1732700000000,
  MessagingTenancy1764806400000,
} from '@cit/messaging';
import type { ServiceDefinition } from '@cit/service-kit';
import { agendaMigrations } from './agenda/agenda.migrations';
import { calendarsMigrations } from './calendars/calendars.migrations';
import { nominationsMigrations } from './nominations/nominations.migrations';
import { seriesMigrations } from './series/series.migrations';

/** Conference series, sessions, nominations, the four filters, agenda, outcomes and calendars (HUB / CCIT / CLEAR). */
export const conferenceService: ServiceDefinition = {
  name: 'conference',
  defaultPort: 3004,
  title: 'CIT Platform — case conferences',
  description:
    'Conference series and sessions, nominations, four-filter privacy, capacity-aware agendas, outcomes, ' +
    'attendance and iCalendar feeds (HUB / Situation Table, CCIT, CLEAR, stakeholder meetings, cross-trainings).',
  entities: [...messagingEntities],
  migrations: [
    MessagingTables1732700000000,
    MessagingOutboxStatus1764633600000,
    MessagingTenancy1764806400000,
    AuditLogTables1764979200000,
    ...seriesMigrations,
    ...nominationsMigrations,
    ...agendaMigrations,
    ...calendarsMigrations,
  ],
  // The PHI access audit: the runtime role may read and append, never change or delete.
  appendOnlyTables: ['audit_log'],
  // Keeping up under load (issue 13's soak): up to 100 consecutive events of a partition in one inbox
  // transaction, 2 partitions at once; a batch that fails is applied again one event at a time.
  consumer: { batch: { maxEvents: 100 }, partitionsConsumedConcurrently: 2 },
};
