import { Module } from '@nestjs/common';
import { RequestDeadlines } from './http/request-deadline';
import { ImportsModule } from './imports/imports.module';
import { IncidentsModule } from './incidents/incidents.module';
import { PersonsModule } from './persons/persons.module';
import { ReviewQueueModule } from './review-queue/review-queue.module';

/** Intake: one module per use-case area; this one only composes them (and owns the HTTP request deadlines). */
@Module({
  imports: [IncidentsModule, PersonsModule, ReviewQueueModule, ImportsModule],
  providers: [RequestDeadlines],
})
export class IntakeModule {}
