import { Injectable } from '@nestjs/common';
import type { CaseClosed, CaseOpened, CaseUpdated, CloudEvent } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import { contactDueAt } from '../reminders/domain/cadence';
import { ReminderQueues } from '../reminders/reminder-queues';
import { endScheduled, insertReminders } from '../reminders/reminder-store';
import { loadSettings, type FollowupSettings } from '../settings/department-settings';

interface CaseRow {
  cadence: string[];
  time_zone: string | null;
  assigned_to: string | null;
  last_occurrence: number;
  closed_at: Date | null;
}

/**
 * Contact reminders of a case: the first one cadence[0] after opening, each fired one
 * schedules the next (FireReminderService), a contact that reached the person moves the
 * pending one (supersedes it with one counted from the contact), closing cancels them all.
 * Runs in the consumer's inbox transaction; jobs are added before commit, which is safe
 * because their ids derive from the occurrence and a job without its row waits for it.
 */
@Injectable()
export class CaseContactService {
  constructor(private readonly queues: ReminderQueues) {}

  async opened(em: EntityManager, event: CloudEvent<CaseOpened>): Promise<void> {
    const d = event.data;
    const dept = event.departmentid;
    const inserted: Array<{ case_id: string }> = await em.query(
      `INSERT INTO case_followup (department_id, case_id, cadence, time_zone, assigned_to, opened_at, last_occurrence)
       VALUES ($1, $2, $3, $4, $5, $6, 1) ON CONFLICT DO NOTHING RETURNING case_id`,
      [dept, d.caseId, d.cadence, d.timeZone ?? null, d.assignedTo ?? null, new Date(d.openedAt)],
    );
    if (inserted.length === 0 || d.contactPreference.doNotContact) return;
    const settings = await loadSettings(em, dept);
    await this.schedule(em, event, settings, {
      caseId: d.caseId,
      cadence: d.cadence,
      timeZone: d.timeZone ?? settings.timeZone,
      assignedTo: d.assignedTo,
      occurrence: 1,
      step: 0,
      anchor: new Date(d.openedAt),
    });
  }

  async updated(em: EntityManager, event: CloudEvent<CaseUpdated>): Promise<void> {
    const d = event.data;
    const dept = event.departmentid;
    const rows: CaseRow[] = await em.query(
      `SELECT cadence, time_zone, assigned_to, last_occurrence, closed_at FROM case_followup
       WHERE department_id = $1 AND case_id = $2 FOR UPDATE`,
      [dept, d.caseId],
    );
    const c = rows[0];
    if (!c || c.closed_at) return;
    if (d.assignedTo !== undefined && d.assignedTo !== c.assigned_to) {
      await em.query(`UPDATE case_followup SET assigned_to = $3 WHERE department_id = $1 AND case_id = $2`, [
        dept,
        d.caseId,
        d.assignedTo,
      ]);
    }
    if (d.contactPreference.doNotContact) {
      await this.queues.removeReminderJobs(
        await endScheduled(em, dept, { caseId: d.caseId, kinds: ['case-contact'] }, 'cancelled'),
      );
      return;
    }
    const contact = d.contactLogged?.outcome === 'made' ? new Date(d.contactLogged.contactedAt) : undefined;
    const reassigned = d.assignedTo !== undefined && d.assignedTo !== c.assigned_to;
    if (!contact && !reassigned) return;
    // The pending occurrence is replaced by the next one: from the contact when one was made,
    // else at the same time for the new assignee.
    const pending: Array<{ id: string; step: number; nominal_at: Date }> = await em.query(
      `SELECT id, step, nominal_at FROM reminder WHERE department_id = $1 AND case_id = $2 AND kind = 'case-contact'
       AND state = 'scheduled' ORDER BY occurrence DESC LIMIT 1`,
      [dept, d.caseId],
    );
    if (!contact && pending.length === 0) return;
    const superseded = await endScheduled(em, dept, { caseId: d.caseId, kinds: ['case-contact'] }, 'superseded');
    await this.queues.removeReminderJobs(superseded);
    const settings = await loadSettings(em, dept);
    const step = pending[0]?.step ?? 1;
    await this.schedule(em, event, settings, {
      caseId: d.caseId,
      cadence: c.cadence,
      timeZone: c.time_zone ?? settings.timeZone,
      assignedTo: d.assignedTo ?? c.assigned_to ?? undefined,
      occurrence: c.last_occurrence + 1,
      step,
      anchor: contact ?? new Date(pending[0]!.nominal_at),
      sameTime: !contact,
    });
  }

  async closed(em: EntityManager, event: CloudEvent<CaseClosed>): Promise<void> {
    const dept = event.departmentid;
    await em.query(
      `UPDATE case_followup SET closed_at = $3 WHERE department_id = $1 AND case_id = $2 AND closed_at IS NULL`,
      [dept, event.data.caseId, new Date(event.data.closedAt)],
    );
    const ids = await endScheduled(em, dept, { caseId: event.data.caseId }, 'cancelled');
    await this.queues.removeReminderJobs(ids);
  }

  private async schedule(
    em: EntityManager,
    event: CloudEvent,
    settings: FollowupSettings,
    p: {
      caseId: string;
      cadence: string[];
      timeZone: string;
      assignedTo?: string;
      occurrence: number;
      step: number;
      anchor: Date;
      sameTime?: boolean;
    },
  ): Promise<void> {
    const { dueAt, nominalAt } = p.sameTime
      ? { dueAt: p.anchor, nominalAt: p.anchor }
      : contactDueAt({
          cadence: p.cadence,
          step: p.step,
          anchor: p.anchor,
          timeZone: p.timeZone,
          businessHours: settings.honorBusinessHours
            ? { timeZone: p.timeZone, weekly: settings.businessHours }
            : undefined,
        });
    const target = p.assignedTo ? { type: 'user' as const, id: p.assignedTo } : settings.supervisorTarget;
    await em.query(`UPDATE case_followup SET last_occurrence = $3 WHERE department_id = $1 AND case_id = $2`, [
      event.departmentid,
      p.caseId,
      p.occurrence,
    ]);
    const rows = await insertReminders(em, [
      {
        departmentId: event.departmentid,
        kind: 'case-contact',
        subjectId: p.caseId,
        caseId: p.caseId,
        occurrence: p.occurrence,
        step: Math.max(0, p.step),
        targetType: target.type,
        targetId: target.id,
        dueAt,
        nominalAt,
        correlationId: event.correlationid,
      },
    ]);
    await this.queues.enqueueReminders(rows);
  }
}
