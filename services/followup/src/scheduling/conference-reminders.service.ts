import { Injectable } from '@nestjs/common';
import type {
  CloudEvent,
  ConferenceActionItemClosed,
  ConferenceCaseScheduled,
  ConferenceOutcomeRecorded,
  ConferenceSessionScheduled,
} from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import { conferenceReminderTimes } from '../reminders/domain/reminder-plans';
import { ReminderQueues } from '../reminders/reminder-queues';
import { endScheduled, insertReminders, type ReminderDraft } from '../reminders/reminder-store';

/**
 * Conference reminders: every member agency is reminded 48 h and 2 h before a session, once
 * for the session and once per case on its agenda. Any change (reschedule, cancellation, a
 * case placed or moved) supersedes the session's pending reminders and plans them again under
 * the session's next revision (a new occurrence, so new job ids). Action items from an
 * outcome become due-date reminders to their owner agency, until the item is closed.
 */
@Injectable()
export class ConferenceRemindersService {
  constructor(private readonly queues: ReminderQueues) {}

  async sessionScheduled(em: EntityManager, event: CloudEvent<ConferenceSessionScheduled>): Promise<void> {
    const d = event.data;
    await em.query(
      `INSERT INTO conference_session (department_id, session_id, starts_at, member_agency_ids, status)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (department_id, session_id) DO UPDATE SET starts_at = EXCLUDED.starts_at,
         member_agency_ids = EXCLUDED.member_agency_ids, status = EXCLUDED.status,
         revision = conference_session.revision + 1`,
      [event.departmentid, d.sessionId, new Date(d.startsAt), d.memberAgencyIds, d.status],
    );
    await this.replan(em, event, d.sessionId);
  }

  async caseScheduled(em: EntityManager, event: CloudEvent<ConferenceCaseScheduled>): Promise<void> {
    const d = event.data;
    const dept = event.departmentid;
    await em.query(
      `INSERT INTO conference_case (department_id, session_id, case_id) VALUES ($1, $2, $3)
       ON CONFLICT (department_id, session_id, case_id) DO UPDATE SET removed = false`,
      [dept, d.sessionId, d.caseId],
    );
    if (d.movedFromSessionId) {
      await em.query(
        `UPDATE conference_case SET removed = true WHERE department_id = $1 AND session_id = $2 AND case_id = $3`,
        [dept, d.movedFromSessionId, d.caseId],
      );
      await this.bump(em, dept, d.movedFromSessionId);
      await this.replan(em, event, d.movedFromSessionId);
    }
    await this.bump(em, dept, d.sessionId);
    await this.replan(em, event, d.sessionId);
  }

  async outcomeRecorded(em: EntityManager, event: CloudEvent<ConferenceOutcomeRecorded>): Promise<void> {
    const d = event.data;
    const drafts: ReminderDraft[] = d.actionItems.map((item) => ({
      departmentId: event.departmentid,
      kind: 'action-item',
      subjectId: item.actionItemId,
      actionItemId: item.actionItemId,
      caseId: d.caseId,
      sessionId: d.sessionId,
      agencyId: item.ownerAgencyId,
      occurrence: 1,
      detail: item.dueAt,
      targetType: 'agency',
      targetId: item.ownerAgencyId,
      dueAt: new Date(item.dueAt),
      correlationId: event.correlationid,
    }));
    await this.queues.enqueueReminders(await insertReminders(em, drafts));
  }

  /**
   * A completed action item (or one cancelled with its withdrawn nomination) needs no more
   * reminding: its pending reminder is cancelled and its job removed. One already fired stays
   * fired. The close is keyed by the same session as the outcome that announced the item, so it
   * never arrives before the reminder it ends.
   */
  async actionItemClosed(em: EntityManager, event: CloudEvent<ConferenceActionItemClosed>): Promise<void> {
    const cancelled = await endScheduled(
      em,
      event.departmentid,
      { subjectId: event.data.actionItemId, kinds: ['action-item'] },
      'cancelled',
    );
    await this.queues.removeReminderJobs(cancelled);
  }

  private async bump(em: EntityManager, dept: string, sessionId: string): Promise<void> {
    await em.query(
      `UPDATE conference_session SET revision = revision + 1 WHERE department_id = $1 AND session_id = $2`,
      [dept, sessionId],
    );
  }

  private async replan(em: EntityManager, event: CloudEvent, sessionId: string): Promise<void> {
    const dept = event.departmentid;
    const superseded = await endScheduled(em, dept, { sessionId, kinds: ['conference-reminder'] }, 'superseded');
    await this.queues.removeReminderJobs(superseded);
    const sessions: Array<{ starts_at: Date; member_agency_ids: string[]; status: string; revision: number }> =
      await em.query(
        `SELECT starts_at, member_agency_ids, status, revision FROM conference_session
         WHERE department_id = $1 AND session_id = $2`,
        [dept, sessionId],
      );
    const s = sessions[0];
    // A case scheduled before its session was announced waits for the session event.
    if (!s || s.status === 'cancelled') return;
    const cases: Array<{ case_id: string }> = await em.query(
      `SELECT case_id FROM conference_case WHERE department_id = $1 AND session_id = $2 AND NOT removed ORDER BY case_id`,
      [dept, sessionId],
    );
    const times = conferenceReminderTimes(new Date(s.starts_at), new Date());
    const subjects = [{ subjectId: sessionId, caseId: undefined as string | undefined }].concat(
      cases.map((c) => ({ subjectId: c.case_id, caseId: c.case_id })),
    );
    const drafts: ReminderDraft[] = [];
    for (const agencyId of s.member_agency_ids)
      for (const t of times)
        for (const subject of subjects)
          drafts.push({
            departmentId: dept,
            kind: 'conference-reminder',
            subjectId: subject.subjectId,
            sessionId,
            caseId: subject.caseId,
            agencyId,
            occurrence: s.revision,
            detail: `${sessionId}|${agencyId}|${t.offset}`,
            targetType: 'agency',
            targetId: agencyId,
            dueAt: t.dueAt,
            correlationId: event.correlationid,
          });
    await this.queues.enqueueReminders(await insertReminders(em, drafts));
  }
}
