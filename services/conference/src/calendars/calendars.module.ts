import { Module } from '@nestjs/common';

/** iCalendar feeds per member agency and per series, behind revocable feed tokens. */
@Module({})
export class CalendarsModule {}
