import { Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@cit/auth';
import { IdParam, ZodValidationPipe } from '@cit/service-kit';
import { feedQuerySchema, type FeedQuery } from './feed.query';
import { FeedService } from './feed.service';

@ApiTags('feed')
@ApiBearerAuth()
@Controller('v1/feed')
export class FeedController {
  constructor(private readonly feed: FeedService) {}

  /** The caller's in-app notifications (their user and their units), newest first. Ids and links only. */
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodValidationPipe(feedQuerySchema)) query: FeedQuery) {
    return this.feed.list(principal, query);
  }

  /** Marks one of the caller's notifications read (idempotent). */
  @Post(':id/read')
  markRead(@CurrentPrincipal() principal: Principal, @IdParam('id', 'ntf') id: string) {
    return this.feed.markRead(principal, id);
  }
}
