import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { PhiProtectionModule } from '../incidents/phi-protection.module';
import { ReviewQueueModule } from '../review-queue/review-queue.module';
import { GetImportController } from './get-import/get-import.http.controller';
import { GetImportService } from './get-import/get-import.service';
import { IMPORT_LIMITS, importLimitsFromEnv } from './import-limits';
import { ImportBatchWriter } from './run-import/import-batch.writer';
import { RunImportController } from './run-import/run-import.http.controller';
import { RunImportService } from './run-import/run-import.service';

/** Bulk RMS import (NDJSON or CSV, streamed) with its caps, and its progress and error report. */
@Module({
  imports: [IncidentsModule, PhiProtectionModule, ReviewQueueModule],
  controllers: [RunImportController, GetImportController],
  providers: [
    RunImportService,
    ImportBatchWriter,
    GetImportService,
    // Read once, when the module starts; a bad INTAKE_IMPORT_* variable stops the service, named.
    { provide: IMPORT_LIMITS, useFactory: () => importLimitsFromEnv(process.env) },
  ],
})
export class ImportsModule {}
