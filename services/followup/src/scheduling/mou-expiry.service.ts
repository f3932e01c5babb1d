import { Injectable } from '@nestjs/common';
import type { CloudEvent, MouChanged } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import { mouReminderDueAt } from '../reminders/domain/reminder-plans';
import { ReminderQueues } from '../reminders/reminder-queues';
import { endScheduled, insertReminders } from '../reminders/reminder-store';
import { loadSettings } from '../settings/department-settings';

/** An active MOU gets one reminder to the department's admin 60 days before it expires; every revision replans it. */
@Injectable()
export class MouExpiryService {
  constructor(private readonly queues: ReminderQueues) {}

  async changed(em: EntityManager, event: CloudEvent<MouChanged>): Promise<void> {
    const d = event.data;
    const dept = event.departmentid;
    const ended = await endScheduled(em, dept, { subjectId: d.mouId, kinds: ['mou-expiring'] }, 'superseded');
    await this.queues.removeReminderJobs(ended);
    if (d.status !== 'active') return;
    const settings = await loadSettings(em, dept);
    const dueAt = mouReminderDueAt(d.expiresOn, settings.timeZone, new Date());
    if (!dueAt) return;
    const rows = await insertReminders(em, [
      {
        departmentId: dept,
        kind: 'mou-expiring',
        subjectId: d.mouId,
        mouId: d.mouId,
        agencyId: d.agencyId,
        occurrence: d.revision,
        detail: d.expiresOn,
        targetType: settings.adminTarget.type,
        targetId: settings.adminTarget.id,
        dueAt,
        correlationId: event.correlationid,
      },
    ]);
    await this.queues.enqueueReminders(rows);
  }
}
