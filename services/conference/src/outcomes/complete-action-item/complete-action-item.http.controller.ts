import { Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { IdParam } from '@cit/service-kit';
import { CompleteActionItemService } from './complete-action-item.service';

@ApiTags('outcomes')
@ApiBearerAuth()
@Controller('v1/action-items')
export class CompleteActionItemController {
  constructor(private readonly items: CompleteActionItemService) {}

  /** The owner agency (or program staff) reports the action item done; followup stops reminding it. */
  @Post(':actionItemId/complete')
  @HttpCode(HttpStatus.OK)
  @Roles('coordinator', 'supervisor', 'admin', 'partner')
  @ApiResponse({ status: 404, description: 'No such action item, or it belongs to another agency' })
  @ApiResponse({ status: 409, description: 'Already completed, or cancelled with its withdrawn nomination' })
  complete(@IdParam('actionItemId', 'act') actionItemId: string, @CurrentPrincipal() principal: Principal) {
    return this.items.complete(actionItemId, principal);
  }
}
