import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { ConferenceSettingsStore } from '../../settings/conference-settings.store';
import { AgencyStore } from '../agency.store';

@Injectable()
export class ListAgenciesService {
  constructor(private readonly dataSource: DataSource) {}

  /** Known agencies; "today" is the department's date (UTC until its settings name a zone). */
  async list(principal: Principal) {
    const dept = principal.departmentId;
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const settings = await ConferenceSettingsStore.load(em, dept);
      const today = DateTime.now()
        .setZone(settings?.timeZone ?? 'UTC')
        .toISODate()!;
      return { items: await AgencyStore.list(em, dept, today), asOf: today };
    });
  }
}
