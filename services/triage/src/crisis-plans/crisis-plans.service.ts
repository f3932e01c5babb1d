import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CrisisPlanStore } from './crisis-plan.store';

/** What other triage areas ask of crisis plans (decisions mark an incident whose person has a plan). */
@Injectable()
export class CrisisPlansService {
  constructor(private readonly store: CrisisPlanStore) {}

  /** Whether the person (or a person merged into them) has a current crisis response plan; runs in the caller's transaction. */
  async hasCurrentPlan(manager: EntityManager, departmentId: string, personId: string): Promise<boolean> {
    return this.store.hasCurrent(manager, departmentId, personId);
  }
}
