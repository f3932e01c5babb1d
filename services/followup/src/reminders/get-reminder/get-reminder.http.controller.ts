import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { GetReminderService } from './get-reminder.service';

@ApiTags('reminders')
@ApiBearerAuth()
@Controller('v1/reminders')
export class GetReminderController {
  constructor(private readonly reminders: GetReminderService) {}

  /** A reminder occurrence (the link every notification carries): ids, times, state, deliveries. */
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @IdParam('id', 'rem') id: string) {
    return this.reminders.get(principal, id);
  }
}
