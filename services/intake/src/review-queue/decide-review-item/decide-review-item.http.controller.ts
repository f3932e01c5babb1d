import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditWrite } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import {
  acceptReviewItemExample,
  acceptReviewItemRequestSchema,
  dismissReviewItemRequestSchema,
  type AcceptReviewItemRequest,
  type DismissReviewItemRequest,
} from './decide-review-item.request';
import { DecideReviewItemService } from './decide-review-item.service';
import { reviewItemDecided } from '../../audit/intake-audit';

@ApiTags('review-queue')
@ApiBearerAuth()
@Controller('v1/review-queue')
export class DecideReviewItemController {
  constructor(private readonly decisions: DecideReviewItemService) {}

  @Post(':itemId/accept')
  @HttpCode(200)
  @Roles('supervisor', 'clinician', 'admin')
  @ApiZodBody(acceptReviewItemRequestSchema, acceptReviewItemExample)
  @ApiResponse({ status: 200, description: 'Accepted; the incident is re-flagged (cit.incident.reclassified.v1)' })
  @ApiResponse({ status: 404, description: 'No such item in the caller’s department' })
  @ApiResponse({ status: 409, description: 'The item was already decided (problem type review-item-already-decided)' })
  @AuditWrite(reviewItemDecided)
  accept(
    @IdParam('itemId') itemId: string,
    @Body(new ZodValidationPipe(acceptReviewItemRequestSchema)) body: AcceptReviewItemRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.decisions.accept(itemId, body, principal);
  }

  @Post(':itemId/dismiss')
  @HttpCode(200)
  @Roles('supervisor', 'clinician', 'admin')
  @ApiZodBody(dismissReviewItemRequestSchema)
  @ApiResponse({ status: 200, description: 'Dismissed; the incident keeps its coding' })
  @ApiResponse({ status: 404, description: 'No such item in the caller’s department' })
  @ApiResponse({ status: 409, description: 'The item was already decided (problem type review-item-already-decided)' })
  @AuditWrite(reviewItemDecided)
  dismiss(
    @IdParam('itemId') itemId: string,
    @Body(new ZodValidationPipe(dismissReviewItemRequestSchema)) body: DismissReviewItemRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.decisions.dismiss(itemId, body, principal);
  }
}
