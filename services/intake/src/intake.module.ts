import { Module } from '@nestjs/common';
import { AuditModule } from '@cit/audit';
import { RequestDeadlines } from './http/request-deadline';
import { ImportsModule } from './imports/imports.module';
import { IncidentsModule } from './incidents/incidents.module';
import { PersonsModule } from './persons/persons.module';
import { ReviewQueueModule } from './review-queue/review-queue.module';

/** Intake: one module per use-case area; this one only composes them (and owns the HTTP request deadlines). */
@Module({
  imports: [AuditModule.forService('intake'), IncidentsModule, PersonsModule, ReviewQueueModule, ImportsModule],
  providers: [RequestDeadlines],
})
export class IntakeModule {}
