import { Injectable } from '@nestjs/common';
import type { CloudEvent, ReferralRequested, ReferralStatusChanged } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import { addInterval } from '../reminders/domain/business-hours';
import { slaSatisfied, type AwaitedStatus } from '../reminders/domain/reminder-plans';
import { ReminderQueues } from '../reminders/reminder-queues';
import { endScheduled, insertReminders, type ReminderDraft } from '../reminders/reminder-store';
import { loadSettings } from '../settings/department-settings';

/**
 * Referral SLA checks: a requested referral gets a check per awaited status (received by,
 * accepted by: the event's deadlines, else the department's SLA for its urgency). A status
 * change that meets a check cancels it; a check that comes due unmet escalates
 * (cit.followup.escalated.v1, referral re-routes on it).
 */
@Injectable()
export class ReferralSlaService {
  constructor(private readonly queues: ReminderQueues) {}

  async requested(em: EntityManager, event: CloudEvent<ReferralRequested>): Promise<void> {
    const d = event.data;
    const dept = event.departmentid;
    await em.query(
      `INSERT INTO referral_watch (department_id, referral_id, agency_id, case_id, urgency, status)
       VALUES ($1, $2, $3, $4, $5, 'requested') ON CONFLICT (department_id, referral_id) DO NOTHING`,
      [dept, d.referralId, d.agencyId, d.caseId ?? null, d.urgency],
    );
    const settings = await loadSettings(em, dept);
    const requestedAt = new Date(event.time);
    const sla = settings.sla[d.urgency];
    const deadlines: Array<[AwaitedStatus, Date]> = [
      [
        'received',
        d.sla?.receiveBy ? new Date(d.sla.receiveBy) : addInterval(requestedAt, sla.receiveWithin, settings.timeZone),
      ],
      ['accepted', new Date(d.sla?.acceptBy ?? d.respondBy)],
    ];
    const drafts: ReminderDraft[] = deadlines.map(([awaited, dueAt]) => ({
      departmentId: dept,
      kind: 'referral-sla',
      subjectId: d.referralId,
      referralId: d.referralId,
      caseId: d.caseId,
      agencyId: d.agencyId,
      awaitedStatus: awaited,
      detail: awaited,
      occurrence: d.attempt,
      targetType: settings.supervisorTarget.type,
      targetId: settings.supervisorTarget.id,
      dueAt,
      correlationId: event.correlationid,
    }));
    await this.queues.enqueueReminders(await insertReminders(em, drafts));
  }

  async statusChanged(em: EntityManager, event: CloudEvent<ReferralStatusChanged>): Promise<void> {
    const d = event.data;
    const dept = event.departmentid;
    await em.query(
      `INSERT INTO referral_watch (department_id, referral_id, agency_id, case_id, urgency, status)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (department_id, referral_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
      [dept, d.referralId, d.agencyId, d.caseId ?? null, d.urgency ?? 'routine', d.to],
    );
    const met = (['received', 'accepted'] as const).filter((awaited) => slaSatisfied(awaited, d.to));
    for (const awaited of met) {
      const ids = await endScheduled(
        em,
        dept,
        { subjectId: d.referralId, kinds: ['referral-sla'], awaitedStatus: awaited },
        'cancelled',
      );
      await this.queues.removeReminderJobs(ids);
    }
  }
}
