import { Module } from '@nestjs/common';
import { GetProgramController } from './get-program/get-program.http.controller';
import { GetProgramService } from './get-program/get-program.service';
import { ProgramSettingsService } from './program-settings.service';
import { PutProgramController } from './put-program/put-program.http.controller';
import { PutProgramService } from './put-program/put-program.service';
import { ListStaffController } from './staff/list-staff/list-staff.http.controller';
import { ListStaffService } from './staff/list-staff/list-staff.service';
import { SaveStaffController } from './staff/save-staff/save-staff.http.controller';
import { SaveStaffService } from './staff/save-staff/save-staff.service';
import { StaffDirectoryService } from './staff/staff-directory.service';

/**
 * The department's CIT program: settings (GET/PUT /v1/program) and staff directory
 * (/v1/staff). Exports ProgramSettingsService and StaffDirectoryService to the other areas.
 */
@Module({
  controllers: [GetProgramController, PutProgramController, ListStaffController, SaveStaffController],
  providers: [
    ProgramSettingsService,
    StaffDirectoryService,
    GetProgramService,
    PutProgramService,
    ListStaffService,
    SaveStaffService,
  ],
  exports: [ProgramSettingsService, StaffDirectoryService],
})
export class ProgramModule {}
