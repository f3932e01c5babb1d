import { Module } from '@nestjs/common';
import { IncidentCodingService } from './reclassify-incident/incident-coding.service';

/** Incident operations other use-case areas build on (the review queue re-flags through it). */
@Module({ providers: [IncidentCodingService], exports: [IncidentCodingService] })
export class IncidentsCoreModule {}
