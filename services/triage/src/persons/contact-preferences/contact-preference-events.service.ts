import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '@cit/messaging';
import type { EntityManager } from 'typeorm';
import { caseUpdatedEvent, type CaseEventMeta } from '../../cases/case-events';
import { ACTIVE_CASE_STATUSES } from '../../cases/case-status.machine';
import { CASE_COLUMNS, caseFromRow, updateReturning } from '../../cases/case.record';
import { personAndSurvivorsSql } from '../person-aliases';
import { ContactPreferenceStore } from './contact-preference.store';

/**
 * After a person's contact preference changed (set, or moved by a merge), tells follow-up:
 * one cit.case.updated.v1 per active case it now applies to, carrying the effective preference.
 */
@Injectable()
export class ContactPreferenceAnnouncer {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly preferences: ContactPreferenceStore,
  ) {}

  async announce(
    em: EntityManager,
    personId: string,
    updatedBy: string,
    meta: CaseEventMeta,
    exceptCaseIds: readonly string[] = [],
  ): Promise<string[]> {
    const { departmentId } = meta;
    const rows = await updateReturning<Parameters<typeof caseFromRow>[0]>(
      em,
      `UPDATE care_case SET updated_at = now(), version = version + 1
        WHERE department_id = $1 AND status = ANY($3::text[]) AND NOT (id = ANY($4::text[])) AND person_id IN (${personAndSurvivorsSql('$1', '$2')})
        RETURNING ${CASE_COLUMNS}`,
      [departmentId, personId, ACTIVE_CASE_STATUSES, exceptCaseIds],
    );
    for (const c of rows.map(caseFromRow)) {
      const contactPreference = await this.preferences.effective(em, departmentId, c.personId);
      await this.outbox.append(
        em,
        caseUpdatedEvent(
          c,
          { previousStatus: c.status, changedFields: ['contactPreference'], updatedBy, contactPreference },
          meta,
        ),
      );
    }
    return rows.map((r) => r.id);
  }
}
