import { Inject, Injectable } from '@nestjs/common';
import type { KafkaClient } from '@cit/messaging';
import { KAFKA } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { ReminderQueues } from '../reminders/reminder-queues';
import { OpsToolkit } from './ops-toolkit';

/** The ops toolkit wired to this process's queues, Kafka client and database. */
@Injectable()
export class OpsService extends OpsToolkit {
  constructor(queues: ReminderQueues, @Inject(KAFKA) kafka: KafkaClient, dataSource: DataSource) {
    super({ queues: { reminders: queues.reminders, notifications: queues.notifications }, kafka, dataSource });
  }
}
