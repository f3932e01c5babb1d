import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';

/** Webhook delivery attempts: the department sees every agency's (or one), a partner only its own. */
@Injectable()
export class ListDeliveriesService {
  constructor(private readonly dataSource: DataSource) {}

  async list(p: Principal, agencyId?: string) {
    const agency = p.kind === 'partner' ? p.agencyId! : agencyId;
    const rows = await tenantTransaction(this.dataSource, p.departmentId, (em) =>
      em.query(
        `SELECT id, agency_id AS "agencyId", referral_id AS "referralId", event_type AS "eventType", status, attempts,
                last_status_code AS "lastStatusCode", last_error AS "lastError", created_at AS "createdAt",
                last_attempt_at AS "lastAttemptAt", delivered_at AS "deliveredAt"
           FROM webhook_delivery WHERE department_id = $1 AND ($2::text IS NULL OR agency_id = $2)
          ORDER BY seq DESC LIMIT 200`,
        [p.departmentId, agency ?? null],
      ),
    );
    return { items: rows as unknown[] };
  }

  async alerts(p: Principal) {
    const rows = await tenantTransaction(this.dataSource, p.departmentId, (em) =>
      em.query(
        `SELECT id, kind, audience, agency_id AS "agencyId", referral_id AS "referralId", request_id AS "requestId",
                created_at AS "createdAt"
           FROM referral_alert WHERE department_id = $1 AND ($2::text IS NULL OR (agency_id = $2 AND audience = 'agency'))
          ORDER BY seq DESC LIMIT 200`,
        [p.departmentId, p.kind === 'partner' ? p.agencyId! : null],
      ),
    );
    return { items: rows as unknown[] };
  }
}
