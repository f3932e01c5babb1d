import { Module } from '@nestjs/common';

/** Conference use cases arrive with the case-conference scheduling issue; the chassis already consumes its topics. */
@Module({})
export class ConferenceModule {}
