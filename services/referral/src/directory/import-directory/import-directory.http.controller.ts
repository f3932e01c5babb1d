import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ImportDirectoryService } from './import-directory.service';

@ApiTags('partner directory')
@ApiBearerAuth()
@Controller('v1/directory/hsds')
export class ImportDirectoryController {
  constructor(private readonly imports: ImportDirectoryService) {}

  /** Imports an HSDS 3.1 document: { organizations: [organization], services: [service] }. */
  @Post()
  @HttpCode(200)
  @Roles('admin')
  @ApiBody({ description: 'HSDS 3.1 organizations and services (JSON Schemas of Open Referral HSDS 3.1)' })
  @ApiResponse({
    status: 400,
    description: 'The document fails the HSDS schema or the CIT rules: one error per JSON pointer; nothing stored',
  })
  import(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.imports.import(body, principal);
  }
}
