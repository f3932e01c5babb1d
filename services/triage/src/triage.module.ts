import { Module } from '@nestjs/common';
import { IncidentReportedHandler } from './intake-queue/incident-reported/incident-reported.handler';
import { ListQueueController } from './intake-queue/list-queue/list-queue.http.controller';

@Module({ controllers: [IncidentReportedHandler, ListQueueController] })
export class TriageModule {}
