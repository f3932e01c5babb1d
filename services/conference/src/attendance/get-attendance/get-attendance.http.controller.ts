import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { GetAttendanceService } from './get-attendance.service';

@ApiTags('attendance')
@ApiBearerAuth()
@Controller('v1/sessions')
export class GetAttendanceController {
  constructor(private readonly attendance: GetAttendanceService) {}

  /** Who attended the session, present or absent, and (at cross-trainings) who completed the training. */
  @Get(':sessionId/attendance')
  @Roles('coordinator', 'supervisor', 'admin', 'partner')
  @ApiResponse({ status: 404, description: 'No such session, or the partner agency is not a member of its series' })
  get(@IdParam('sessionId', 'ses') sessionId: string, @CurrentPrincipal() principal: Principal) {
    return this.attendance.get(sessionId, principal);
  }
}
