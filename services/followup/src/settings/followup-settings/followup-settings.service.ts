import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { loadSettings, saveSettings, type FollowupSettings } from '../department-settings';

/** The department's follow-up settings: business hours, time zone, SLA per urgency, admin and supervisor targets, SMTP relay. */
@Injectable()
export class FollowupSettingsService {
  constructor(private readonly dataSource: DataSource) {}

  get(principal: Principal): Promise<FollowupSettings> {
    return tenantTransaction(this.dataSource, principal.departmentId, (em) => loadSettings(em, principal.departmentId));
  }

  async put(principal: Principal, settings: FollowupSettings): Promise<FollowupSettings> {
    await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      saveSettings(em, principal.departmentId, settings, principal.subject),
    );
    return settings;
  }
}
