import { Module } from '@nestjs/common';

/** Reminder use cases arrive with the follow-up reminders issue; the chassis already consumes its topics. */
@Module({})
export class FollowupModule {}
