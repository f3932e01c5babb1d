import { Module } from '@nestjs/common';
import { DecisionsModule } from '../decisions/decisions.module';
import { ProgramModule } from '../program/program.module';
import { AssignDecisionController } from './assign-decision/assign-decision.http.controller';
import { AssignDecisionService } from './assign-decision/assign-decision.service';
import { ConfirmDecisionController } from './confirm-decision/confirm-decision.http.controller';
import { ConfirmDecisionService } from './confirm-decision/confirm-decision.service';
import { ListReviewQueueController } from './list-review-queue/list-review-queue.http.controller';
import { ListReviewQueueService } from './list-review-queue/list-review-queue.service';
import { OverrideDecisionController } from './override-decision/override-decision.http.controller';
import { OverrideDecisionService } from './override-decision/override-decision.service';
import { ReviewContext } from './review-context';

/** Supervisor review: the queue (GET /v1/review-queue) and confirm / assign / override of a decision. */
@Module({
  imports: [DecisionsModule, ProgramModule],
  controllers: [
    ListReviewQueueController,
    ConfirmDecisionController,
    AssignDecisionController,
    OverrideDecisionController,
  ],
  providers: [
    ReviewContext,
    ListReviewQueueService,
    ConfirmDecisionService,
    AssignDecisionService,
    OverrideDecisionService,
  ],
})
export class ReviewModule {}
