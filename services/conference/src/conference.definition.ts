import {
  messagingEntities,
  MessagingOutboxStatus1764633600000,
  MessagingTables1732700000000,
  MessagingTenancy1764806400000,
} from '@cit/messaging';
import type { ServiceDefinition } from '@cit/service-kit';
/** Conference series, sessions, nominations, agenda and outcomes (HUB / CCIT / CLEAR). */
export const conferenceService: ServiceDefinition = {
  name: 'conference',
  defaultPort: 3004,
  title: 'CIT Platform — case conferences',
  description: 'Conference series, sessions, nominations, agenda and outcomes (HUB / CCIT / CLEAR).',
  entities: [...messagingEntities],
  migrations: [MessagingTables1732700000000, MessagingOutboxStatus1764633600000, MessagingTenancy1764806400000],
};
