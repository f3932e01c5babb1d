import { Module } from '@nestjs/common';

/** Series, sessions on a rolling horizon, department settings and the member-agency projection. */
@Module({})
export class SeriesModule {}
