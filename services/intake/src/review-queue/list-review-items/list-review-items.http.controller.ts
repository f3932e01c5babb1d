import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditRead } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { reviewItemStatusSchema } from '@cit/contracts';
import { ZodValidationPipe } from '@cit/service-kit';
import { listReviewItemsQuerySchema, type ListReviewItemsQuery } from './list-review-items.query';
import { ListReviewItemsService } from './list-review-items.service';
import { reviewItemsListed } from '../../audit/intake-audit';

@ApiTags('review-queue')
@ApiBearerAuth()
@Controller('v1/review-queue')
export class ListReviewItemsController {
  constructor(private readonly items: ListReviewItemsService) {}

  /** Calls screening found possibly behavioral-health related although the officer did not flag them. */
  @Get()
  @Roles('supervisor', 'clinician', 'coordinator', 'admin')
  @ApiQuery({ name: 'status', required: false, enum: reviewItemStatusSchema.options })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'cursor', required: false, type: String })
  @AuditRead(reviewItemsListed)
  list(
    @Query(new ZodValidationPipe(listReviewItemsQuerySchema)) query: ListReviewItemsQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.items.list(query, principal);
  }
}
