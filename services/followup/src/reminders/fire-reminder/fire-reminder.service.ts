import { Inject, Injectable } from '@nestjs/common';
import { buildEvent, type CloudEvent, type EventContext, type ReferralStatus } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { tenantTransaction } from '@cit/persistence';
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
 * Fires one reminder occurrence exactly once: under a row lock, only a reminder still
 * `scheduled` fires; the state change, the reminder-due (and escalation) events in the outbox,
 * the notifications and the next occurrence commit together. A second delivery of the job (a
 * worker crash after commit, a reconciler re-add) finds it `fired` and does nothing.
 */
@Injectable()
export class FireReminderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(FOLLOWUP_OPTIONS) private readonly options: FollowupOptions,
  ) {}

  fire(departmentId: string, reminderId: string, now: () => Date = () => new Date()): Promise<FireOutcome> {
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const firedAt = now();
      // Fast path, one statement: a scheduled reminder that is due (and needs no SLA check) fires.
      const [updated]: [ReminderRow[], number] = await em.query(
        `UPDATE reminder SET state = 'fired', fired_at = $3, updated_at = now(),
           lateness_ms = LEAST(2147483647, GREATEST(0, floor(extract(epoch FROM ($3::timestamptz - due_at)) * 1000)))::int,
           late = ($3::timestamptz - due_at) > make_interval(secs => $4::float8 / 1000)
         WHERE department_id = $1 AND id = $2 AND state = 'scheduled' AND kind <> 'referral-sla'
           AND due_at <= $3::timestamptz + interval '1 second'
         RETURNING *`,
        [departmentId, reminderId, firedAt, this.options.lateToleranceMs],
      );
      if (updated[0]) return this.fired(em, updated[0], firedAt, false);
      return this.slowPath(em, departmentId, reminderId, firedAt);
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
    return this.fired(em, { ...r, state: 'fired', late, lateness_ms: latenessMs, escalated }, firedAt, escalated);
  }

  /** The reminder-due (and escalation) events, the notifications and the next occurrence, in the firing transaction. */
  private async fired(em: EntityManager, r: ReminderRow, firedAt: Date, escalated: boolean): Promise<FireOutcome> {
    const late = Boolean(r.late);
    const notifications = await this.appendEventsAndNotifications(em, r, firedAt, late, escalated);
    const next = r.kind === 'case-contact' ? await this.nextContact(em, r) : [];
    return { outcome: 'fired', kind: r.kind, latenessMs: r.lateness_ms ?? 0, late, escalated, next, notifications };
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
   * One statement: the outbox rows (reminder-due, escalated) and the notifications — the in-app
   * feed item (delivered by being stored) and one pending delivery per endpoint of the target.
   * Returns the pending deliveries to enqueue after commit.
   */
  private async appendEventsAndNotifications(
    em: EntityManager,
    r: ReminderRow,
    firedAt: Date,
    late: boolean,
    escalated: boolean,
  ): Promise<Array<{ id: string; departmentId: string }>> {
    const outbox = this.outbox.insertStatement(this.events(r, firedAt, late, escalated));
    const p = outbox.params.length;
    const rows: Array<{ id: string; channel: string }> = await em.query(
      `WITH o AS (${outbox.sql}),
       targets AS (
         SELECT '' AS endpoint_id, 'feed' AS channel
         UNION ALL
         SELECT id, channel FROM notification_endpoint
          WHERE department_id = $${p + 1} AND target_type = $${p + 3} AND target_id = $${p + 4}
       )
       INSERT INTO notification (id, department_id, reminder_id, channel, endpoint_id, target_type, target_id, body, state, delivered_at)
       SELECT 'ntf_' || replace(gen_random_uuid()::text, '-', ''), $${p + 1}, $${p + 2}, t.channel, t.endpoint_id,
              $${p + 3}, $${p + 4}, $${p + 5}::jsonb,
              CASE WHEN t.channel = 'feed' THEN 'delivered' ELSE 'pending' END,
              CASE WHEN t.channel = 'feed' THEN $${p + 6}::timestamptz END
         FROM targets t
       ON CONFLICT (department_id, reminder_id, channel, endpoint_id) DO NOTHING
       RETURNING id, channel`,
      [
        ...outbox.params,
        r.department_id,
        r.id,
        r.target_type,
        r.target_id,
        JSON.stringify(notificationBody(r, firedAt, late)),
        firedAt,
      ],
    );
    return rows.filter((n) => n.channel !== 'feed').map((n) => ({ id: n.id, departmentId: r.department_id }));
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
