import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { loadReferralSettings, saveReferralSettings, type ReferralSettingsRequest } from '../referral-settings';

@Injectable()
export class ReferralSettingsService {
  constructor(private readonly dataSource: DataSource) {}

  get(p: Principal) {
    return tenantTransaction(this.dataSource, p.departmentId, (em) => loadReferralSettings(em, p.departmentId));
  }

  put(body: ReferralSettingsRequest, p: Principal) {
    return tenantTransaction(this.dataSource, p.departmentId, async (em) => {
      await saveReferralSettings(em, p.departmentId, body);
      return loadReferralSettings(em, p.departmentId);
    });
  }
}
