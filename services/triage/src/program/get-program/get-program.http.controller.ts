import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { GetProgramService } from './get-program.service';

@ApiTags('program')
@ApiBearerAuth()
@Controller('v1/program')
export class GetProgramController {
  constructor(private readonly program: GetProgramService) {}

  /** The department's program settings (the defaults, isDefault true, until an admin saves them) and what the model changes. */
  @Get()
  @Roles('admin')
  get(@CurrentPrincipal() principal: Principal) {
    return this.program.get(principal);
  }
}
