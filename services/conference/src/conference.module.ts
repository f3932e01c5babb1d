import { Module } from '@nestjs/common';

/**
 * Conference use cases arrive with the case-conference scheduling issue. With no @EventPattern handler yet
 * the service starts no consumer; its topics are subscribed once a handler exists.
 */
@Module({})
export class ConferenceModule {}
