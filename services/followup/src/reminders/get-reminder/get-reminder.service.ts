import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import type { ReminderRow } from '../reminder-store';

/** One reminder occurrence of the caller's department, and the delivery state of its notifications. */
@Injectable()
export class GetReminderService {
  constructor(private readonly dataSource: DataSource) {}

  async get(principal: Principal, id: string) {
    return tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
      const rows: ReminderRow[] = await em.query(`SELECT * FROM reminder WHERE department_id = $1 AND id = $2`, [
        principal.departmentId,
        id,
      ]);
      const r = rows[0];
      if (!r) throw new NotFoundException();
      const notifications: Array<{
        id: string;
        channel: string;
        state: string;
        attempts: number;
        last_error: string | null;
      }> = await em.query(
        `SELECT id, channel, state, attempts, last_error FROM notification WHERE department_id = $1 AND reminder_id = $2 ORDER BY id`,
        [principal.departmentId, id],
      );
      return {
        id: r.id,
        kind: r.kind,
        occurrence: r.occurrence,
        state: r.state,
        dueAt: new Date(r.due_at).toISOString(),
        firedAt: r.fired_at ? new Date(r.fired_at).toISOString() : null,
        late: r.late,
        latenessMs: r.lateness_ms,
        escalated: r.escalated,
        target: { type: r.target_type, id: r.target_id },
        caseId: r.case_id,
        referralId: r.referral_id,
        sessionId: r.session_id,
        actionItemId: r.action_item_id,
        mouId: r.mou_id,
        agencyId: r.agency_id,
        notifications: notifications.map((n) => ({
          id: n.id,
          channel: n.channel,
          state: n.state,
          attempts: n.attempts,
          lastError: n.last_error,
        })),
      };
    });
  }
}
