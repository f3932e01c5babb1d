import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ExportDirectoryService } from './export-directory.service';

@ApiTags('partner directory')
@ApiBearerAuth()
@Controller('v1/directory/hsds')
export class ExportDirectoryController {
  constructor(private readonly exports: ExportDirectoryService) {}

  /** The directory as HSDS 3.1 JSON: { organizations, services }, valid against the HSDS schemas. */
  @Get()
  @Roles('clinician', 'coordinator', 'supervisor', 'admin')
  export(@CurrentPrincipal() principal: Principal) {
    return this.exports.export(principal);
  }
}
