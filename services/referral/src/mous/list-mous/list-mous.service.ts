import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { loadReferralSettings } from '../../settings/referral-settings';
import { MouStore } from '../mou.store';
import type { ListMousQuery } from './list-mous.query';

/** GET /v1/mous[?expiringWithinDays=N]: every MOU, or the active ones expiring within N days of today (department zone). */
@Injectable()
export class ListMousService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: ListMousQuery, principal: Principal) {
    const dept = principal.departmentId;
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const { timezone } = await loadReferralSettings(em, dept);
      const today = DateTime.now().setZone(timezone);
      const until =
        query.expiringWithinDays === undefined
          ? undefined
          : today.plus({ days: query.expiringWithinDays }).toISODate()!;
      const items = await MouStore.list(em, dept, until, today.toISODate()!);
      return {
        items: items.map((m) => ({
          ...m,
          daysToExpiry: Math.round(
            DateTime.fromISO(m.expiresOn, { zone: timezone }).diff(today.startOf('day'), 'days').days,
          ),
        })),
      };
    });
  }
}
