import { Module } from '@nestjs/common';
import { IncidentStore } from '../incidents/incident-store';
import { PersonsModule } from '../persons/persons.module';
import { GetImportController } from './get-import/get-import.http.controller';
import { GetImportService } from './get-import/get-import.service';
import { ImportBatchWriter } from './run-import/import-batch.writer';
import { RunImportController } from './run-import/run-import.http.controller';
import { RunImportService } from './run-import/run-import.service';

/** Bulk RMS import (NDJSON or CSV, streamed) and its progress and error report. */
@Module({
  imports: [PersonsModule],
  controllers: [RunImportController, GetImportController],
  providers: [RunImportService, ImportBatchWriter, GetImportService, IncidentStore],
})
export class ImportsModule {}
