import { Controller, Get, Headers, HttpStatus, Param, Res, UseFilters } from '@nestjs/common';
import { ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@cit/auth';
import { ProblemException, ProblemType } from '@cit/service-kit';
import type { FastifyReply } from 'fastify';
import { ifNoneMatchHits } from './feed-etag';
import { FeedProblemFilter } from './feed-problem.filter';
import { ServeFeedService } from './serve-feed.service';

@ApiTags('calendar feeds')
@Controller('v1/calendars')
export class ServeFeedController {
  constructor(private readonly feeds: ServeFeedService) {}

  /** The iCalendar feed a token names (the token is the credential: no bearer token needed). */
  @Get(':token.ics')
  @Public()
  @UseFilters(new FeedProblemFilter())
  @ApiProduces('text/calendar')
  @ApiResponse({ status: 200, description: 'text/calendar; charset=utf-8 (RFC 5545, METHOD:PUBLISH)' })
  @ApiResponse({ status: 304, description: 'If-None-Match named the current ETag' })
  @ApiResponse({ status: 404, description: 'Unknown, malformed or revoked token (indistinguishable)' })
  async feed(
    @Param('token') token: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<string | undefined> {
    const feed = await this.feeds.render(token);
    // The token is not echoed: it is a secret, and caller input of any content.
    if (!feed) throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'No calendar feed has this address.');
    void res
      .header('etag', feed.etag)
      // Private: the URL is a credential; no-cache: clients revalidate, mostly getting a 304.
      .header('cache-control', 'private, no-cache')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff');
    if (ifNoneMatchHits(ifNoneMatch, feed.etag)) {
      void res.status(HttpStatus.NOT_MODIFIED);
      return undefined;
    }
    void res.type('text/calendar; charset=utf-8').header('content-disposition', 'inline; filename="conferences.ics"');
    return feed.body;
  }
}
