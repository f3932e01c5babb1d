import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { cursorPage, decodeCursor, encodeCursor, RequestValidationError } from '@cit/service-kit';
import { z } from 'zod';
import { DataSource } from 'typeorm';
import { DECISION_COLUMNS, decisionFromRow, decisionView, type DecisionRecord } from '../../decisions/decision.record';
import type { ListReviewQueueQuery } from './list-review-queue.query';

const cursorShape = z.tuple([z.iso.datetime(), z.string().max(64)]);

/** Decisions waiting for a supervisor, oldest first, with the incident codes and the rules that fired. */
@Injectable()
export class ListReviewQueueService {
  constructor(private readonly dataSource: DataSource) {}

  async list(principal: Principal, q: ListReviewQueueQuery) {
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, cursorShape);
    if (q.cursor !== undefined && after === undefined)
      throw new RequestValidationError([{ field: 'cursor', detail: 'must be a cursor returned by a previous page' }]);
    const rows = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query(
        `SELECT ${DECISION_COLUMNS.replace(/(^|,\s*)(\w+)/g, '$1d.$2')},
                i.call_type, i.encounter, i.disposition, i.bh_related_to, i.bh_observations, i.bh_suspected_using,
                i.subject_flags, i.occurred_at
           FROM triage_decision d
           JOIN triage_intake i ON i.department_id = d.department_id AND i.incident_id = d.incident_id
          WHERE d.department_id = $1 AND d.status = 'pending-review'
            AND ($2::text IS NULL OR d.review_reason = $2)
            AND ($3::timestamptz IS NULL OR (d.decided_at, d.id) > ($3::timestamptz, $4::text))
          ORDER BY d.decided_at, d.id
          LIMIT $5`,
        [principal.departmentId, q.reason ?? null, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
      ),
    );
    return cursorPage(
      rows as (Record<string, unknown> & { decided_at: Date; id: string })[],
      q.limit,
      (last) => encodeCursor([last.decided_at.toISOString(), last.id]),
      (r) => {
        const d: DecisionRecord = decisionFromRow(r);
        return {
          ...decisionView(d),
          incident: {
            callType: r.call_type,
            encounter: r.encounter,
            disposition: r.disposition,
            behavioralHealth: {
              relatedTo: r.bh_related_to,
              observations: r.bh_observations,
              suspectedUsing: r.bh_suspected_using,
            },
            subjectFlags: r.subject_flags,
            occurredAt: (r.occurred_at as Date).toISOString(),
          },
        };
      },
    );
  }
}
