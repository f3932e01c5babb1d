import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { createLogger } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType, RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { CalendarFeedStore, type CalendarFeedRecord, type FeedScope } from '../calendar-feed.store';
import { newFeedToken } from '../feed-tokens/feed-token';
import type { CreateCalendarFeedRequest } from './manage-feeds.request';

/** Active feeds one series or one agency may have at once. */
export const MAX_ACTIVE_FEEDS_PER_TARGET = 25;

/** A feed as listed: what it covers, never its token. */
export interface CalendarFeedView {
  id: string;
  scope: 'series' | 'agency';
  seriesId?: string;
  agencyId?: string;
  createdAt: string;
  createdBy: string;
}

/** The answer to a creation: the only time the token (in path and url) is ever shown. */
export interface CreatedCalendarFeed extends CalendarFeedView {
  token: string;
  path: string;
}

const view = (r: CalendarFeedRecord): CalendarFeedView => ({
  id: r.id,
  scope: r.scope,
  ...(r.seriesId ? { seriesId: r.seriesId } : {}),
  ...(r.agencyId ? { agencyId: r.agencyId } : {}),
  createdAt: r.createdAt.toISOString(),
  createdBy: r.createdBy,
});

/** Creates, lists and revokes calendar feed tokens. A partner manages only its own agency's feeds. */
@Injectable()
export class ManageFeedsService {
  private readonly logger = createLogger('calendar-feeds');

  constructor(private readonly dataSource: DataSource) {}

  async create(body: CreateCalendarFeedRequest, principal: Principal): Promise<CreatedCalendarFeed> {
    const target: FeedScope =
      body.scope === 'series'
        ? { scope: 'series', seriesId: body.seriesId }
        : { scope: 'agency', agencyId: body.agencyId };
    if (principal.kind === 'partner' && (target.scope !== 'agency' || target.agencyId !== principal.agencyId)) {
      throw new ProblemException(
        ProblemType.forbidden,
        403,
        'Forbidden',
        "A partner agency may create only its own agency's feed.",
      );
    }
    const dept = principal.departmentId;
    const { token, hash } = newFeedToken();
    const created = await tenantTransaction(this.dataSource, dept, async (em) => {
      if (target.scope === 'series' && !(await CalendarFeedStore.seriesExists(em, dept, target.seriesId))) {
        throw new RequestValidationError([{ field: 'seriesId', detail: 'no such series' }]);
      }
      if (target.scope === 'agency' && !(await CalendarFeedStore.agencyKnown(em, dept, target.agencyId))) {
        throw new RequestValidationError([
          { field: 'agencyId', detail: 'not a member of any series and no MOU on record' },
        ]);
      }
      // Each feed is a standing secret URL: a handful per series or agency is plenty, and the
      // cap keeps a leaked partner token from filling the table.
      if ((await CalendarFeedStore.countActive(em, dept, target)) >= MAX_ACTIVE_FEEDS_PER_TARGET) {
        throw new ProblemException(
          ProblemType.conflict,
          409,
          'Conflict',
          `This ${target.scope} already has ${MAX_ACTIVE_FEEDS_PER_TARGET} active calendar feeds; revoke one first.`,
        );
      }
      return CalendarFeedStore.insert(em, dept, {
        id: newId('cfd'),
        tokenHash: hash,
        target,
        createdBy: principal.subject,
      });
    });
    this.logger.info({ departmentId: dept, feedId: created.id, scope: created.scope }, 'calendar feed created');
    return { ...view(created), token, path: `/v1/calendars/${token}.ics` };
  }

  async list(principal: Principal): Promise<{ items: CalendarFeedView[] }> {
    const rows = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      CalendarFeedStore.listActive(em, principal.departmentId, partnerAgency(principal)),
    );
    return { items: rows.map(view) };
  }

  /** Revokes a feed at once (its token stops resolving with this commit); 404 when there is no such active feed. */
  async revoke(id: string, principal: Principal): Promise<void> {
    const dept = principal.departmentId;
    const revoked = await tenantTransaction(this.dataSource, dept, (em) =>
      CalendarFeedStore.revoke(em, dept, id, principal.subject, partnerAgency(principal)),
    );
    if (!revoked)
      throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'No active calendar feed has this id.');
    this.logger.info({ departmentId: dept, feedId: id }, 'calendar feed revoked');
  }
}

// A partner sees and revokes only its own agency's feeds; others' answer 404 as if absent.
function partnerAgency(principal: Principal): string | undefined {
  return principal.kind === 'partner' ? principal.agencyId : undefined;
}
