import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { actorId } from '../../../cases/case-events';
import { lockPerson } from '../../../cases/case.record';
import { ContactPreferenceAnnouncer } from '../contact-preference-events.service';
import { ContactPreferenceStore } from '../contact-preference.store';
import type { PutContactPreferenceRequest } from './put-preference.request';

/** Records a person's contact preference; active cases it applies to announce it to follow-up. */
@Injectable()
export class PutContactPreferenceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly preferences: ContactPreferenceStore,
    private readonly announcer: ContactPreferenceAnnouncer,
  ) {}

  async put(personId: string, req: PutContactPreferenceRequest, principal: Principal) {
    const departmentId = principal.departmentId;
    const by = actorId(principal.subject);
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      await lockPerson(em, departmentId, personId);
      await em.query(
        `INSERT INTO contact_preference (department_id, person_id, do_not_contact, allowed_channels, updated_by)
         VALUES ($1, $2, $3, $4::text[], $5)
         ON CONFLICT (department_id, person_id) DO UPDATE
           SET do_not_contact = EXCLUDED.do_not_contact, allowed_channels = EXCLUDED.allowed_channels,
               updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [departmentId, personId, req.doNotContact, req.allowedChannels ?? null, by],
      );
      const casesAnnounced = await this.announcer.announce(em, personId, by, { departmentId });
      return {
        personId,
        own: {
          doNotContact: req.doNotContact,
          ...(req.allowedChannels ? { allowedChannels: req.allowedChannels } : {}),
        },
        effective: await this.preferences.effective(em, departmentId, personId),
        casesAnnounced,
      };
    });
  }
}
