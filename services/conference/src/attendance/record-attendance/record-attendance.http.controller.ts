import { Body, Controller, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { recordAttendanceRequestSchema, type RecordAttendanceRequest } from './record-attendance.request';
import { RecordAttendanceService } from './record-attendance.service';

@ApiTags('attendance')
@ApiBearerAuth()
@Controller('v1/sessions')
export class RecordAttendanceController {
  constructor(private readonly attendance: RecordAttendanceService) {}

  /** The session's attendance, replaced as a whole (program staff or the chair agency of the series). */
  @Put(':sessionId/attendance')
  @Roles('coordinator', 'supervisor', 'admin', 'partner')
  @ApiZodBody(recordAttendanceRequestSchema, {
    attendees: [
      {
        kind: 'agency-representative',
        id: 'rep-2291',
        name: 'J. Okafor',
        agencyId: 'metro-mobile-crisis',
        present: true,
      },
      {
        kind: 'officer',
        id: 'badge-4471',
        name: 'Ofc. R. Diaz',
        present: true,
        training: { completed: true, hours: 8 },
      },
      { kind: 'provider-staff', id: 'emp-118', name: 'L. Chen', agencyId: 'harbor-recovery', present: false },
    ],
  })
  @ApiResponse({ status: 403, description: 'A member agency that is not the chair' })
  @ApiResponse({ status: 404, description: 'No such session, or the partner agency is not a member of its series' })
  @ApiResponse({ status: 409, description: 'The session was cancelled or has not started' })
  record(
    @IdParam('sessionId', 'ses') sessionId: string,
    @Body(new ZodValidationPipe(recordAttendanceRequestSchema)) body: RecordAttendanceRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.attendance.record(sessionId, body, principal);
  }
}
