import { Injectable } from '@nestjs/common';
import type { ContactPreferenceFlags, OutreachChannel } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import { personAndAliasesSql } from '../person-aliases';
import { strictestPreference } from './contact-preference';

/** Reads a person's effective contact preference (their own and that of persons merged into them). */
@Injectable()
export class ContactPreferenceStore {
  /** The strictest preference over the person and its merged aliases; no preference recorded = anyone may contact. */
  async effective(manager: EntityManager, departmentId: string, personId: string): Promise<ContactPreferenceFlags> {
    const rows: { do_not_contact: boolean; allowed_channels: OutreachChannel[] | null }[] = await manager.query(
      `SELECT do_not_contact, allowed_channels FROM contact_preference
        WHERE department_id = $1 AND person_id IN (${personAndAliasesSql('$1', '$2')})`,
      [departmentId, personId],
    );
    return strictestPreference(
      rows.map((r) => ({ doNotContact: r.do_not_contact, allowedChannels: r.allowed_channels ?? undefined })),
    );
  }
}
