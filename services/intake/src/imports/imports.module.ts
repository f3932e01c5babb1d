import { Module } from '@nestjs/common';
import { PhiProtectionModule } from '../incidents/phi-protection.module';
import { PersonsModule } from '../persons/persons.module';
import { ReviewQueueModule } from '../review-queue/review-queue.module';
import { GetImportController } from './get-import/get-import.http.controller';
import { GetImportService } from './get-import/get-import.service';
import { IMPORT_LIMITS, importLimitsFromEnv } from './import-limits';
import { ImportBatchWriter } from './run-import/import-batch.writer';
import { ImportWorkers } from './run-import/import-workers';
import { RunImportController } from './run-import/run-import.http.controller';
import { RunImportService } from './run-import/run-import.service';

/** Bulk RMS import (NDJSON or CSV, streamed; rows prepared by a worker pool, stored with COPY) with its caps, and its progress and error report. */
@Module({
  imports: [PersonsModule, PhiProtectionModule, ReviewQueueModule],
  controllers: [RunImportController, GetImportController],
  providers: [
    RunImportService,
    ImportBatchWriter,
    ImportWorkers,
    GetImportService,
    // Read once, when the module starts; a bad INTAKE_IMPORT_* variable stops the service, named.
    { provide: IMPORT_LIMITS, useFactory: () => importLimitsFromEnv(process.env) },
  ],
})
export class ImportsModule {}
