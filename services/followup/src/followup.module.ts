import { Module } from '@nestjs/common';

/**
 * Reminder use cases arrive with the follow-up reminders issue. With no @EventPattern handler yet
 * the service starts no consumer; its topics are subscribed once a handler exists.
 */
@Module({})
export class FollowupModule {}
