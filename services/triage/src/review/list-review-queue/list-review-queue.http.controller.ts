import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ZodValidationPipe } from '@cit/service-kit';
import { decisionsRead } from '../../decisions/decisions-audit';
import { listReviewQueueQuerySchema, type ListReviewQueueQuery } from './list-review-queue.query';
import { ListReviewQueueService } from './list-review-queue.service';

@ApiTags('review')
@ApiBearerAuth()
@Controller('v1/review-queue')
export class ListReviewQueueController {
  constructor(private readonly queue: ListReviewQueueService) {}

  /**
   * Decisions the department's review policy holds (or that need a consultation before any
   * referral), oldest first; each waits until a supervisor confirms, overrides or assigns it.
   */
  @Get()
  @Roles('supervisor')
  @AuditRead((page: { items: { id: string; personId: string | null }[] }) => decisionsRead(page.items))
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(listReviewQueueQuerySchema)) query: ListReviewQueueQuery,
  ) {
    return this.queue.list(principal, query);
  }
}
