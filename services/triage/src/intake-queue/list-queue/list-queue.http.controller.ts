import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ListQueueService } from './list-queue.service';

@ApiTags('triage')
@ApiBearerAuth()
@Controller('v1/triage-queue')
export class ListQueueController {
  constructor(private readonly queue: ListQueueService) {}

  /** Incidents triage received for the caller's department, newest first, with their triage status. */
  @Get()
  @Roles('clinician', 'coordinator', 'supervisor', 'admin')
  list(@CurrentPrincipal() principal: Principal) {
    return this.queue.list(principal);
  }
}
