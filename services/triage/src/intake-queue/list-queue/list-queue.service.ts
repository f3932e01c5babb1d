import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { TriageIntakeEntity } from '../triage-intake.entity';

/**
 * The incidents triage received for the caller's department, newest first, with where triage
 * stands on each (triaged, or in-review while a supervisor has the decision).
 */
@Injectable()
export class ListQueueService {
  constructor(private readonly dataSource: DataSource) {}

  async list(principal: Principal) {
    const items = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.getRepository(TriageIntakeEntity).find({
        where: { departmentId: principal.departmentId },
        order: { receivedAt: 'DESC' },
        take: 200,
      }),
    );
    return {
      items: items.map((i) => ({
        incidentId: i.incidentId,
        status: i.status,
        callType: i.callType,
        behavioralHealth: { relatedTo: i.bhRelatedTo, observations: i.bhObservations },
        subjectCount: i.subjectCount,
        hasCrisisPlan: i.hasCrisisPlan,
        occurredAt: i.occurredAt.toISOString(),
        receivedAt: i.receivedAt.toISOString(),
        sourceEventId: i.sourceEventId,
      })),
    };
  }
}
