import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { reviewItemStatusSchema, type ReviewItemStatus } from '@cit/contracts';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { cursorPage, decodeCursor, encodeCursor, RequestValidationError, type CursorPage } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { openDecisionReason, type ReviewItemView } from '../review-item.view';
import type { ScreeningReason } from '../screening';
import { type ListReviewItemsQuery } from './list-review-items.query';

// The status travels in the cursor so a page of one list cannot continue another.
const cursorShape = z.tuple([reviewItemStatusSchema, z.iso.datetime(), z.string().min(1).max(64)]);

interface Row {
  id: string;
  incident_id: string;
  reasons: ScreeningReason[];
  status: ReviewItemStatus;
  created_at: Date;
  /** created_at with its microseconds: a JS Date would round them away and pages would skip or repeat rows. */
  created_key: string;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  call_type: string;
  occurred_at: Date;
}

export interface ReviewQueueItem extends ReviewItemView {
  /** Enough of the incident to triage the queue; the rest is GET /v1/incidents/{id}. */
  incident: { callType: string; occurredAt: string };
}

/**
 * The department's review queue with keyset pagination on (created_at, id): pending items
 * oldest first (work the backlog in order), decided ones newest first.
 */
@Injectable()
export class ListReviewItemsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  async list(query: ListReviewItemsQuery, principal: Principal): Promise<CursorPage<ReviewQueueItem>> {
    const ascending = query.status === 'pending';
    const params: unknown[] = [principal.departmentId, query.status];
    let after = '';
    if (query.cursor) {
      const key = decodeCursor(query.cursor, cursorShape);
      if (!key || key[0] !== query.status) {
        throw new RequestValidationError([
          { field: 'cursor', detail: 'must be a cursor returned by a previous page of this list' },
        ]);
      }
      params.push(key[1], key[2]);
      after = `AND (r.created_at, r.id) ${ascending ? '>' : '<'} ($3::timestamptz, $4)`;
    }
    params.push(query.limit + 1);
    const dir = ascending ? 'ASC' : 'DESC';
    const rows: Row[] = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query(
        `SELECT r.id, r.incident_id, r.reasons, r.status, r.created_at,
              to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key,
              r.decided_by, r.decided_at, r.decision_reason, i.call_type, i.occurred_at
         FROM review_item r
         JOIN incident i ON i.id = r.incident_id AND i.department_id = r.department_id
        WHERE r.department_id = $1 AND r.status = $2 ${after}
        ORDER BY r.created_at ${dir}, r.id ${dir}
        LIMIT $${params.length}`,
        params,
      ),
    );
    return cursorPage(
      rows,
      query.limit,
      (last) => encodeCursor([query.status, last.created_key, last.id]),
      (r) => ({
        id: r.id,
        incidentId: r.incident_id,
        reasons: r.reasons,
        status: r.status,
        createdAt: r.created_at.toISOString(),
        decidedBy: r.decided_by,
        decidedAt: r.decided_at?.toISOString() ?? null,
        decisionReason: openDecisionReason(this.cipher, principal.departmentId, r.id, r.decision_reason),
        incident: { callType: r.call_type, occurredAt: r.occurred_at.toISOString() },
      }),
    );
  }
}
