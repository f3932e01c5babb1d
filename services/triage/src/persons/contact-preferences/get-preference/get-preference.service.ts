import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import type { OutreachChannel } from '@cit/contracts';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { ContactPreferenceStore } from '../contact-preference.store';

/** A person's own contact preference (if recorded) and the effective one outreach honors. */
@Injectable()
export class GetContactPreferenceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly preferences: ContactPreferenceStore,
  ) {}

  async get(personId: string, principal: Principal) {
    const departmentId = principal.departmentId;
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const [own]: {
        do_not_contact: boolean;
        allowed_channels: OutreachChannel[] | null;
        updated_at: Date;
        updated_by: string;
      }[] = await em.query(
        'SELECT do_not_contact, allowed_channels, updated_at, updated_by FROM contact_preference WHERE department_id = $1 AND person_id = $2',
        [departmentId, personId],
      );
      return {
        personId,
        own: own
          ? {
              doNotContact: own.do_not_contact,
              ...(own.allowed_channels ? { allowedChannels: own.allowed_channels } : {}),
              updatedAt: own.updated_at.toISOString(),
              updatedBy: own.updated_by,
            }
          : null,
        effective: await this.preferences.effective(em, departmentId, personId),
      };
    });
  }
}
