import { Inject, Injectable } from '@nestjs/common';
import { buildEvent, type CloudEvent, type EventContext, type ReferralStatus } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { tenantTransaction } from '@cit/persistence';
import { MicroBatcher, type BatchResult } from '@cit/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import { contactDueAt } from '../domain/cadence';
import { slaSatisfied } from '../domain/reminder-plans';
import { FOLLOWUP_OPTIONS, type FollowupOptions } from '../followup-options';
import { insertReminders, type ReminderRow } from '../reminder-store';
import type { ReminderToEnqueue } from '../reminder-queues';
import { loadSettings } from '../../settings/department-settings';
import { notificationBody } from '../../notifications/notification-body';

/** What firing one reminder did. */
export type FireOutcome =
  | { outcome: 'missing' }
  | { outcome: 'skipped'; state: string }
  | { outcome: 'early'; dueAt: Date }
  | { outcome: 'satisfied' }
  | {
      outcome: 'fired';
      kind: ReminderRow['kind'];
      latenessMs: number;
      late: boolean;
      escalated: boolean;
      next: ReminderToEnqueue[];
      notifications: Array<{ id: string; departmentId: string }>;
    };

/**
 * Fires one reminder occurrence exactly once: only a reminder still `scheduled` fires (the
 * UPDATE's WHERE and its row lock decide, so concurrent deliveries of one job cannot both win);
 * the state change, the reminder-due (and escalation) events in the outbox, the notifications
 * and the next occurrence commit together. A second delivery of the job (a worker crash after
 * commit, a reconciler re-add) finds it `fired` and does nothing.
 *
 * Group commit: jobs the worker runs at the same time are fired together, one transaction per
 * department (one UPDATE for all of them, one statement for all their events and
 * notifications), so the fixed cost of a transaction is shared when many come due at once.
 */
@Injectable()
export class FireReminderService {
  private readonly batcher: MicroBatcher<{ departmentId: string; reminderId: string; firedAt: Date }, FireOutcome>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(FOLLOWUP_OPTIONS) private readonly options: FollowupOptions,
  ) {
    this.batcher = new MicroBatcher((items) => this.fireBatch(items), { maxBatch: 200, maxConcurrent: 4 });
  }

  fire(departmentId: string, reminderId: string, now: () => Date = () => new Date()): Promise<FireOutcome> {
    return this.batcher.submit({ departmentId, reminderId, firedAt: now() });
  }

  private async fireBatch(
    items: Array<{ departmentId: string; reminderId: string; firedAt: Date }>,
  ): Promise<Array<BatchResult<FireOutcome>>> {
    const results = new Array<BatchResult<FireOutcome>>(items.length);
    const byDepartment = new Map<string, number[]>();
    items.forEach((item, i) =>
      byDepartment.set(item.departmentId, [...(byDepartment.get(item.departmentId) ?? []), i]),
    );
    await Promise.all(
      [...byDepartment].map(async ([departmentId, indexes]) => {
        try {
          const outcomes = await this.fireInDepartment(
            departmentId,
            indexes.map((i) => items[i]!),
          );
          indexes.forEach((i, k) => (results[i] = { ok: true, value: outcomes[k]! }));
        } catch (error) {
          for (const i of indexes) results[i] = { ok: false, error };
        }
      }),
    );
    return results;
  }

  private fireInDepartment(
    departmentId: string,
    items: Array<{ reminderId: string; firedAt: Date }>,
  ): Promise<FireOutcome[]> {
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      // One clock reading for the batch: the latest of the callers' (each was taken when its job started).
      const firedAt = new Date(Math.max(...items.map((i) => i.firedAt.getTime())));
      const ids = [...new Set(items.map((i) => i.reminderId))];
      // Fast path, one statement: scheduled reminders that are due (and need no SLA check) fire.
      const [updated]: [ReminderRow[], number] = await em.query(
        `UPDATE reminder SET state = 'fired', fired_at = $3, updated_at = now(),
           lateness_ms = LEAST(2147483647, GREATEST(0, floor(extract(epoch FROM ($3::timestamptz - due_at)) * 1000)))::int,
           late = ($3::timestamptz - due_at) > make_interval(secs => $4::float8 / 1000)
         WHERE department_id = $1 AND id = ANY($2::text[]) AND state = 'scheduled' AND kind <> 'referral-sla'
           AND due_at <= $3::timestamptz + interval '1 second'
         RETURNING *`,
        [departmentId, ids, firedAt, this.options.lateToleranceMs],
      );
      const fired = new Map<string, FireOutcome>();
      if (updated.length > 0) {
        const notifications = await this.appendEventsAndNotifications(em, departmentId, updated, firedAt, new Set());
        for (const r of updated) {
          const next = r.kind === 'case-contact' ? await this.nextContact(em, r) : [];
          fired.set(r.id, {
            outcome: 'fired',
            kind: r.kind,
            latenessMs: r.lateness_ms ?? 0,
            late: Boolean(r.late),
            escalated: false,
            next,
            notifications: notifications.get(r.id) ?? [],
          });
        }
      }
      const outcomes: FireOutcome[] = [];
      for (const item of items) {
        // The same id twice in one batch: the first fired it, the second finds it fired.
        const done = fired.get(item.reminderId);
        if (done && !outcomes.some((o, k) => items[k]!.reminderId === item.reminderId && o === done)) {
          outcomes.push(done);
          continue;
        }
        const outcome = await this.slowPath(em, departmentId, item.reminderId, firedAt);
        outcomes.push(outcome);
      }
      return outcomes;
    });
  }

  /** Everything the fast path does not decide: missing, already ended, early, referral SLA checks. */
  private async slowPath(
    em: EntityManager,
    departmentId: string,
    reminderId: string,
    firedAt: Date,
  ): Promise<FireOutcome> {
    const rows: ReminderRow[] = await em.query(
      `SELECT * FROM reminder WHERE department_id = $1 AND id = $2 FOR UPDATE`,
      [departmentId, reminderId],
    );
    const r = rows[0];
    if (!r) return { outcome: 'missing' };
    if (r.state !== 'scheduled') return { outcome: 'skipped', state: r.state };
    const dueAt = new Date(r.due_at);
    // A job never fires before its time; one that arrives early (clock skew between hosts) waits again.
    if (dueAt.getTime() - firedAt.getTime() > 1000) return { outcome: 'early', dueAt };
    if (r.kind === 'referral-sla' && r.referral_id && r.awaited_status) {
      const watch: Array<{ status: ReferralStatus }> = await em.query(
        `SELECT status FROM referral_watch WHERE department_id = $1 AND referral_id = $2`,
        [departmentId, r.referral_id],
      );
      if (watch[0] && slaSatisfied(r.awaited_status, watch[0].status)) {
        await em.query(`UPDATE reminder SET state = 'cancelled', updated_at = now() WHERE id = $1`, [r.id]);
        return { outcome: 'satisfied' };
      }
    }
    const escalated = r.kind === 'referral-sla';
    const latenessMs = Math.min(2_147_483_647, Math.max(0, firedAt.getTime() - dueAt.getTime()));
    const late = latenessMs > this.options.lateToleranceMs;
    await em.query(
      `UPDATE reminder SET state = 'fired', fired_at = $2, late = $3, lateness_ms = $4, escalated = $5, updated_at = now()
       WHERE id = $1`,
      [r.id, firedAt, late, latenessMs, escalated],
    );
    const row: ReminderRow = { ...r, state: 'fired', late, lateness_ms: latenessMs, escalated };
    const notifications = await this.appendEventsAndNotifications(
      em,
      departmentId,
      [row],
      firedAt,
      new Set(escalated ? [r.id] : []),
    );
    const next = r.kind === 'case-contact' ? await this.nextContact(em, row) : [];
    return {
      outcome: 'fired',
      kind: r.kind,
      latenessMs,
      late,
      escalated,
      next,
      notifications: notifications.get(r.id) ?? [],
    };
  }

  private events(r: ReminderRow, firedAt: Date, late: boolean, escalated: boolean): CloudEvent[] {
    const ctx: EventContext = { departmentId: r.department_id, correlationId: r.correlation_id };
    const ids = {
      ...(r.case_id ? { caseId: r.case_id } : {}),
      ...(r.referral_id ? { referralId: r.referral_id } : {}),
    };
    const events: CloudEvent[] = [
      buildEvent(
        'cit.followup.reminder-due.v1',
        r.id,
        {
          reminderId: r.id,
          occurrence: r.occurrence,
          kind: r.kind,
          ...ids,
          ...(r.action_item_id ? { actionItemId: r.action_item_id } : {}),
          ...(r.target_type === 'user' ? { assigneeId: r.target_id } : {}),
          ...(r.session_id ? { sessionId: r.session_id } : {}),
          ...(r.mou_id ? { mouId: r.mou_id } : {}),
          ...(r.agency_id ? { agencyId: r.agency_id } : {}),
          dueAt: new Date(r.due_at).toISOString(),
          targetType: r.target_type,
          targetId: r.target_id,
          firedAt: firedAt.toISOString(),
          late,
        },
        ctx,
        { time: firedAt },
      ),
    ];
    if (escalated) {
      events.push(
        buildEvent(
          'cit.followup.escalated.v1',
          r.id,
          {
            reminderId: r.id,
            occurrence: r.occurrence,
            kind: r.kind,
            ...ids,
            ...(r.agency_id ? { agencyId: r.agency_id } : {}),
            dueAt: new Date(r.due_at).toISOString(),
            level: 1,
            escalatedTo: 'rerouting',
            reason: r.awaited_status === 'received' ? 'sla-not-received' : 'sla-not-accepted',
          },
          ctx,
          { time: firedAt },
        ),
      );
    }
    return events;
  }

  /**
   * One statement for a batch of fired reminders: their outbox rows (reminder-due, escalated)
   * and their notifications — an in-app feed item each (delivered by being stored) and one
   * pending delivery per endpoint of its target. Returns the pending deliveries per reminder,
   * to enqueue after commit.
   */
  private async appendEventsAndNotifications(
    em: EntityManager,
    departmentId: string,
    rows: readonly ReminderRow[],
    firedAt: Date,
    escalated: ReadonlySet<string>,
  ): Promise<Map<string, Array<{ id: string; departmentId: string }>>> {
    const outbox = this.outbox.insertStatement(
      rows.flatMap((r) => this.events(r, firedAt, Boolean(r.late), escalated.has(r.id))),
    );
    const p = outbox.params.length;
    const inserted: Array<{ id: string; channel: string; reminder_id: string }> = await em.query(
      `WITH o AS (${outbox.sql}),
       r AS (
         SELECT * FROM unnest($${p + 2}::text[], $${p + 3}::text[], $${p + 4}::text[], $${p + 5}::text[])
           AS r(reminder_id, target_type, target_id, body)
       ),
       targets AS (
         SELECT r.*, '' AS endpoint_id, 'feed' AS channel FROM r
         UNION ALL
         SELECT r.*, e.id, e.channel FROM r JOIN notification_endpoint e
           ON e.department_id = $${p + 1} AND e.target_type = r.target_type AND e.target_id = r.target_id
       )
       INSERT INTO notification (id, department_id, reminder_id, channel, endpoint_id, target_type, target_id, body, state, delivered_at)
       SELECT 'ntf_' || replace(gen_random_uuid()::text, '-', ''), $${p + 1}, t.reminder_id, t.channel, t.endpoint_id,
              t.target_type, t.target_id, t.body::jsonb,
              CASE WHEN t.channel = 'feed' THEN 'delivered' ELSE 'pending' END,
              CASE WHEN t.channel = 'feed' THEN $${p + 6}::timestamptz END
         FROM targets t
       ON CONFLICT (department_id, reminder_id, channel, endpoint_id) DO NOTHING
       RETURNING id, channel, reminder_id`,
      [
        ...outbox.params,
        departmentId,
        rows.map((r) => r.id),
        rows.map((r) => r.target_type),
        rows.map((r) => r.target_id),
        rows.map((r) => JSON.stringify(notificationBody(r, firedAt, Boolean(r.late)))),
        firedAt,
      ],
    );
    const pending = new Map<string, Array<{ id: string; departmentId: string }>>();
    for (const n of inserted) {
      if (n.channel === 'feed') continue;
      pending.set(n.reminder_id, [...(pending.get(n.reminder_id) ?? []), { id: n.id, departmentId }]);
    }
    return pending;
  }

  /** The case's next contact reminder, one cadence step on from this one's due time, unless the case closed. */
  private async nextContact(em: EntityManager, r: ReminderRow): Promise<ReminderToEnqueue[]> {
    const cases: Array<{
      cadence: string[];
      time_zone: string | null;
      closed_at: Date | null;
      last_occurrence: number;
    }> = await em.query(
      `SELECT cadence, time_zone, closed_at, last_occurrence FROM case_followup
         WHERE department_id = $1 AND case_id = $2 FOR UPDATE`,
      [r.department_id, r.case_id],
    );
    const c = cases[0];
    // Only the newest occurrence continues the chain (a superseded one never fires anyway).
    if (!c || c.closed_at || c.last_occurrence !== r.occurrence) return [];
    const settings = await loadSettings(em, r.department_id);
    const timeZone = c.time_zone ?? settings.timeZone;
    const step = r.step + 1;
    const { dueAt, nominalAt } = contactDueAt({
      cadence: c.cadence,
      step,
      anchor: new Date(r.nominal_at),
      timeZone,
      businessHours: settings.honorBusinessHours ? { timeZone, weekly: settings.businessHours } : undefined,
    });
    const occurrence = r.occurrence + 1;
    await em.query(`UPDATE case_followup SET last_occurrence = $3 WHERE department_id = $1 AND case_id = $2`, [
      r.department_id,
      r.case_id,
      occurrence,
    ]);
    return insertReminders(em, [
      {
        departmentId: r.department_id,
        kind: 'case-contact',
        subjectId: r.subject_id,
        caseId: r.case_id ?? undefined,
        occurrence,
        step,
        targetType: r.target_type,
        targetId: r.target_id,
        dueAt,
        nominalAt,
        correlationId: r.correlation_id,
      },
    ]);
  }
}
