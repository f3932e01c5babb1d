import { Module } from '@nestjs/common';
import { IncidentsCoreModule } from '../incidents/incidents-core.module';
import { DecideReviewItemController } from './decide-review-item/decide-review-item.http.controller';
import { DecideReviewItemService } from './decide-review-item/decide-review-item.service';
import { ListReviewItemsController } from './list-review-items/list-review-items.http.controller';
import { ListReviewItemsService } from './list-review-items/list-review-items.service';
import { ReviewScreener } from './review-screener.service';
import { ScreeningConfigController } from './screening-config/screening-config.http.controller';
import { ScreeningConfigService } from './screening-config/screening-config.service';
import { ScreeningRulesStore } from './screening-rules.store';

/**
 * The behavioral-health review queue: screening of every reported call for service and of
 * imported ones when the import asks for it (ReviewScreener, called by the incident use cases
 * and the import batch writer in their transaction), the queue, and per-department rules.
 */
@Module({
  imports: [IncidentsCoreModule],
  controllers: [ScreeningConfigController, ListReviewItemsController, DecideReviewItemController],
  providers: [
    ScreeningRulesStore,
    ReviewScreener,
    ListReviewItemsService,
    DecideReviewItemService,
    ScreeningConfigService,
  ],
  exports: [ReviewScreener],
})
export class ReviewQueueModule {}
