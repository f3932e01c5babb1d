import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { ContactPreferenceStore } from '../../persons/contact-preferences/contact-preference.store';
import { caseAad } from '../case-phi';
import { selectCases } from '../case.record';
import { caseSummaryView } from '../case.view';

/** One case of the caller's department with its incidents, status history and outreach log (notes decrypted for the answer only). */
@Injectable()
export class GetCaseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly preferences: ContactPreferenceStore,
  ) {}

  async get(caseId: string, principal: Principal) {
    const departmentId = principal.departmentId;
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      // Another department's case is indistinguishable from a missing one.
      const [c] = await selectCases(em, 'department_id = $1 AND id = $2', [departmentId, caseId]);
      if (!c) throw new NotFoundException('case not found');
      const incidents: { incident_id: string; decision_id: string | null; joined_at: Date }[] = await em.query(
        'SELECT incident_id, decision_id, joined_at FROM case_incident WHERE department_id = $1 AND case_id = $2 ORDER BY joined_at, incident_id',
        [departmentId, caseId],
      );
      const history: { from_status: string | null; to_status: string; changed_at: Date; changed_by: string }[] =
        await em.query(
          'SELECT from_status, to_status, changed_at, changed_by FROM case_status_change WHERE department_id = $1 AND case_id = $2 ORDER BY id',
          [departmentId, caseId],
        );
      const contacts: {
        id: string;
        outcome: string;
        channel: string;
        initiated_by: string;
        contacted_at: Date;
        contacted_by: string;
        notes_ciphertext: string | null;
        preference_flags: string[];
        logged_at: Date;
        logged_by: string;
      }[] = await em.query(
        `SELECT id, outcome, channel, initiated_by, contacted_at, contacted_by, notes_ciphertext, preference_flags, logged_at, logged_by
           FROM case_contact WHERE department_id = $1 AND case_id = $2 ORDER BY contacted_at, id`,
        [departmentId, caseId],
      );
      const contactPreference = await this.preferences.effective(em, departmentId, c.personId);
      return {
        ...caseSummaryView(c),
        contactPreference,
        incidents: incidents.map((i) => ({
          incidentId: i.incident_id,
          decisionId: i.decision_id ?? undefined,
          joinedAt: i.joined_at.toISOString(),
        })),
        statusHistory: history.map((h) => ({
          from: h.from_status ?? undefined,
          to: h.to_status,
          at: h.changed_at.toISOString(),
          by: h.changed_by,
        })),
        contacts: contacts.map((x) => ({
          id: x.id,
          outcome: x.outcome,
          channel: x.channel,
          initiatedBy: x.initiated_by,
          contactedAt: x.contacted_at.toISOString(),
          contactedBy: x.contacted_by,
          notes:
            x.notes_ciphertext === null
              ? undefined
              : this.cipher.decrypt(x.notes_ciphertext, caseAad.contactNotes(departmentId, x.id)),
          preferenceFlags: x.preference_flags,
          loggedAt: x.logged_at.toISOString(),
          loggedBy: x.logged_by,
        })),
      };
    });
  }
}
