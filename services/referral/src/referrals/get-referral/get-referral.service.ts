import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { departmentView } from '../referral-views';
import { ReferralStore } from '../referral.store';

@Injectable()
export class GetReferralService {
  constructor(private readonly dataSource: DataSource) {}

  async get(id: string, p: Principal) {
    return tenantTransaction(this.dataSource, p.departmentId, async (em) => {
      const r = await ReferralStore.get(em, p.departmentId, id);
      if (!r) throw new ProblemException(ProblemType.notFound, 404, 'Not found');
      return departmentView(r, await ReferralStore.history(em, p.departmentId, id));
    });
  }
}
