import { Injectable } from '@nestjs/common';
import { AuditTrail, currentAuditContext } from '@cit/audit';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { checkOutreach } from '../../persons/contact-preferences/contact-preference';
import { ContactPreferenceStore } from '../../persons/contact-preferences/contact-preference.store';
import { actorId, caseUpdatedEvent } from '../case-events';
import { caseAad } from '../case-phi';
import { caseClosedConflict, outreachRefused } from '../case-problems';
import { isClosed, statusAfterContact } from '../case-status.machine';
import { CASE_COLUMNS, caseFromRow, lockCase, updateReturning } from '../case.record';
import { contactLoggedEntries } from '../cases-audit';
import type { LogContactRequest } from './log-contact.request';

/** Logs an outreach contact on an active case, honoring the person's contact preference. */
@Injectable()
export class LogContactService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly cipher: FieldCipher,
    private readonly preferences: ContactPreferenceStore,
    private readonly audit: AuditTrail,
  ) {}

  async log(caseId: string, req: LogContactRequest, principal: Principal) {
    const departmentId = principal.departmentId;
    const auditContext = currentAuditContext();
    const by = actorId(principal.subject);
    const contactedBy = req.contactedBy ?? by;
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const before = await lockCase(em, departmentId, caseId);
      if (isClosed(before.status)) throw caseClosedConflict(before.status);
      const preference = await this.preferences.effective(em, departmentId, before.personId);
      const check = checkOutreach(preference, { channel: req.channel, initiatedBy: req.initiatedBy });
      if (check.verdict === 'refused') throw outreachRefused(check.reason);

      const contactId = newId('cct');
      const notes =
        req.notes === undefined ? null : this.cipher.encrypt(req.notes, caseAad.contactNotes(departmentId, contactId));
      const [contact]: { contacted_at: Date; logged_at: Date }[] = await em.query(
        `INSERT INTO case_contact (id, department_id, case_id, outcome, channel, initiated_by, contacted_at, contacted_by, notes_ciphertext, preference_flags, logged_by)
         VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::timestamptz, now()), $8, $9, $10::text[], $11) RETURNING contacted_at, logged_at`,
        [
          contactId,
          departmentId,
          caseId,
          req.outcome,
          req.channel,
          req.initiatedBy,
          req.contactedAt ?? null,
          contactedBy,
          notes,
          check.flags,
          by,
        ],
      );
      const status = statusAfterContact(before.status, req.outcome);
      // last_contact_at: the latest contact that reached the person (a late-logged older one does not move it back).
      const [row] = await updateReturning<Parameters<typeof caseFromRow>[0]>(
        em,
        `UPDATE care_case SET status = $3,
                last_contact_at = CASE WHEN $4 = 'made' THEN GREATEST(last_contact_at, $5::timestamptz) ELSE last_contact_at END,
                updated_at = now(), version = version + 1
          WHERE department_id = $1 AND id = $2 RETURNING ${CASE_COLUMNS}`,
        [departmentId, caseId, status, req.outcome, contact!.contacted_at],
      );
      const after = caseFromRow(row!);
      const changedFields = ['contacts'];
      if (status !== before.status) {
        changedFields.push('status');
        await em.query(
          'INSERT INTO case_status_change (department_id, case_id, from_status, to_status, changed_by) VALUES ($1, $2, $3, $4, $5)',
          [departmentId, caseId, before.status, status, by],
        );
      }
      if (after.lastContactAt?.getTime() !== before.lastContactAt?.getTime()) changedFields.push('lastContactAt');
      await this.outbox.append(
        em,
        caseUpdatedEvent(
          after,
          {
            previousStatus: before.status,
            changedFields,
            updatedBy: by,
            contactPreference: preference,
            contactLogged: {
              contactId,
              outcome: req.outcome,
              channel: req.channel,
              contactedAt: contact!.contacted_at.toISOString(),
              contactedBy,
            },
          },
          { departmentId },
        ),
      );
      if (auditContext)
        await this.audit.append(
          em,
          auditContext,
          contactLoggedEntries({ caseId, personId: after.personId, contactId }, notes !== null),
        );
      return {
        id: contactId,
        caseId,
        outcome: req.outcome,
        channel: req.channel,
        initiatedBy: req.initiatedBy,
        contactedAt: contact!.contacted_at.toISOString(),
        contactedBy,
        preferenceFlags: check.flags,
        loggedAt: contact!.logged_at.toISOString(),
        loggedBy: by,
        caseStatus: after.status,
      };
    });
  }
}
