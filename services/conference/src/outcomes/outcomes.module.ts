import { Module } from '@nestjs/common';

/** Outcomes and action items per case, attendance per session, cross-training rosters. */
@Module({})
export class OutcomesModule {}
