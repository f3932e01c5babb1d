import { Module } from '@nestjs/common';

/** Nominations from every source and the four-filter privacy record. */
@Module({})
export class NominationsModule {}
