import { Injectable, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import { RequestValidationError } from '@cit/service-kit';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { cursorPage, decodeCursor, encodeCursor } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import type { NotificationBody } from '../notification-body';
import type { FeedQuery } from './feed.query';

interface FeedRow {
  id: string;
  body: NotificationBody;
  created_at: Date;
  read_at: Date | null;
  target_type: string;
  target_id: string;
}

/** The in-app feed: notifications for the caller (their user id) or any of their units (token districts). */
@Injectable()
export class FeedService {
  constructor(private readonly dataSource: DataSource) {}

  private targets(p: Principal): { types: string[]; ids: string[] } {
    const units = p.districts ?? [];
    return {
      types: ['user', ...units.map(() => 'unit')],
      ids: [p.subject, ...units],
    };
  }

  async list(principal: Principal, query: FeedQuery) {
    const { types, ids } = this.targets(principal);
    const cursor = query.cursor ? decodeCursor(query.cursor, z.tuple([z.iso.datetime(), z.string()])) : undefined;
    if (query.cursor && !cursor)
      throw new RequestValidationError([{ field: 'cursor', detail: 'must be a cursor returned by a previous page' }]);
    const rows: FeedRow[] = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query(
        `SELECT n.id, n.body, n.created_at, n.read_at, n.target_type, n.target_id
         FROM notification n JOIN unnest($2::text[], $3::text[]) AS t(type, id) ON n.target_type = t.type AND n.target_id = t.id
         WHERE n.department_id = $1 AND n.channel = 'feed'
           AND ($4::boolean IS NOT TRUE OR n.read_at IS NULL)
           AND ($5::timestamptz IS NULL OR (n.created_at, n.id) < ($5::timestamptz, $6::text))
         ORDER BY n.created_at DESC, n.id DESC LIMIT $7`,
        [
          principal.departmentId,
          types,
          ids,
          query.unread === 'true',
          cursor?.[0] ?? null,
          cursor?.[1] ?? '',
          query.limit + 1,
        ],
      ),
    );
    return cursorPage(
      rows,
      query.limit,
      (last) => encodeCursor([new Date(last.created_at).toISOString(), last.id]),
      (r) => ({
        id: r.id,
        ...r.body,
        createdAt: new Date(r.created_at).toISOString(),
        readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
      }),
    );
  }

  async markRead(principal: Principal, id: string) {
    const { types, ids } = this.targets(principal);
    const rows: Array<{ read_at: Date }> = await tenantTransaction(
      this.dataSource,
      principal.departmentId,
      async (em) => {
        const [updated]: [Array<{ read_at: Date }>, number] = await em.query(
          `UPDATE notification n SET read_at = COALESCE(n.read_at, now())
         FROM unnest($3::text[], $4::text[]) AS t(type, id)
         WHERE n.department_id = $1 AND n.id = $2 AND n.channel = 'feed' AND n.target_type = t.type AND n.target_id = t.id
         RETURNING n.read_at`,
          [principal.departmentId, id, types, ids],
        );
        return updated;
      },
    );
    // Someone else's notification is as absent as a missing one.
    if (!rows[0]) throw new NotFoundException();
    return { id, readAt: new Date(rows[0].read_at).toISOString() };
  }
}
