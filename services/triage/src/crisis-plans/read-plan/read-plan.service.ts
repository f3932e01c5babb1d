import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { CrisisPlanStore } from '../crisis-plan.store';

/** A person's current crisis response plan, decrypted for the answer only. */
@Injectable()
export class ReadCrisisPlanService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: CrisisPlanStore,
  ) {}

  async read(personId: string, principal: Principal) {
    return tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
      const row = await this.store.current(em, principal.departmentId, personId);
      if (!row) throw new NotFoundException('the person has no crisis plan');
      return this.store.view(row, personId);
    });
  }
}
