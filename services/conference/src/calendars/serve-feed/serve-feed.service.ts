import { Inject, Injectable } from '@nestjs/common';
import { systemScopeTransaction, tenantTransaction } from '@cit/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { CALENDARS_OPTIONS, type CalendarsOptions } from '../calendars-options';
import { CalendarFeedStore, type ResolvedFeed } from '../calendar-feed.store';
import { feedTokenHash, isFeedTokenForm } from '../feed-tokens/feed-token';
import { renderCalendarFeed, type FeedCalendar } from '../ics/calendar-feed.renderer';
import { CALENDAR_SYSTEM_SCOPES } from '../migrations/1765200000400-calendar-feeds';
import { feedEtag } from './feed-etag';

/** A rendered feed and its ETag. */
export interface RenderedFeed {
  body: string;
  etag: string;
}

/** Serves a feed by its token: the department comes from the token's row, everything else is read under that tenant. */
@Injectable()
export class ServeFeedService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CALENDARS_OPTIONS) private readonly options: CalendarsOptions,
  ) {}

  /** The feed a token names, or null for a malformed, unknown or revoked token (all three look alike). */
  async render(token: string, now = new Date()): Promise<RenderedFeed | null> {
    // A malformed token names nothing; a well-formed one costs one hash and one index probe.
    if (!isFeedTokenForm(token)) return null;
    const feed = await this.resolve(token);
    if (!feed) return null;
    const since = new Date(now.getTime() - this.options.pastDays * 86_400_000);
    const calendar = await tenantTransaction(this.dataSource, feed.departmentId, (em) => this.load(em, feed, since));
    const body = renderCalendarFeed(calendar);
    return { body, etag: feedEtag(body) };
  }

  // The only cross-department read: calendar_feed by token hash under its own system scope.
  // Sessions and series are read afterwards as the token's department, under row-level security.
  private resolve(token: string): Promise<ResolvedFeed | null> {
    return systemScopeTransaction(this.dataSource, CALENDAR_SYSTEM_SCOPES.feedToken, (em) =>
      CalendarFeedStore.findActiveByHash(em, feedTokenHash(token)),
    );
  }

  private async load(em: EntityManager, feed: ResolvedFeed, since: Date): Promise<FeedCalendar> {
    const dept = feed.departmentId;
    const events = await CalendarFeedStore.sessions(em, dept, feed.target, since);
    if (feed.target.scope === 'series') {
      const series = await CalendarFeedStore.seriesHeading(em, dept, feed.target.seriesId);
      return {
        name: series?.title ?? 'Case conferences',
        timeZone: series?.timeZone ?? 'UTC',
        uidDomain: this.options.uidDomain,
        events,
      };
    }
    const zone = (await CalendarFeedStore.departmentTimeZone(em, dept)) ?? events[0]?.timeZone ?? 'UTC';
    return {
      name: `Case conferences (agency ${feed.target.agencyId})`,
      timeZone: zone,
      uidDomain: this.options.uidDomain,
      events,
    };
  }
}
