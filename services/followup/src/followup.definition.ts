import {
  messagingEntities,
  MessagingOutboxStatus1764633600000,
  MessagingTables1732700000000,
  MessagingTenancy1764806400000,
} from '@cit/messaging';
import type { ServiceDefinition } from '@cit/service-kit';
import { FollowupInitial1765100000500 } from './migrations/1765100000500-followup-initial';

/** Follow-up reminders (PostgreSQL first, BullMQ derived), notifications and escalations. */
export const followupService: ServiceDefinition = {
  name: 'followup',
  defaultPort: 3005,
  title: 'CIT Platform — follow-up reminders',
  description:
    'Follow-up reminders (PostgreSQL first, BullMQ derived), notifications (webhook, email, in-app feed), escalations, and the ops view of queues and dead letters.',
  entities: [...messagingEntities],
  migrations: [
    MessagingTables1732700000000,
    MessagingOutboxStatus1764633600000,
    MessagingTenancy1764806400000,
    FollowupInitial1765100000500,
  ],
  appendOnlyTables: ['notification_attempt', 'dlq_replay'],
  // Keeping up under load (issue 13's soak): up to 100 consecutive events of a partition in one inbox
  // transaction, 2 partitions at once. A batch that fails is applied again one event at a time; a
  // BullMQ job it added for a reminder row it rolled back finds no row and is skipped.
  consumer: { batch: { maxEvents: 100 }, partitionsConsumedConcurrently: 2 },
};
