import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { TriageIntakeEntity } from '../triage-intake.entity';

/** The caller's department's incidents awaiting triage, oldest first (read under the department's tenant). */
@Injectable()
export class ListQueueService {
  constructor(private readonly dataSource: DataSource) {}

  async list(principal: Principal) {
    const items = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.getRepository(TriageIntakeEntity).find({
        where: { departmentId: principal.departmentId, status: 'awaiting-triage' },
        order: { occurredAt: 'ASC' },
        take: 200,
      }),
    );
    return {
      items: items.map((i) => ({
        incidentId: i.incidentId,
        callType: i.callType,
        behavioralHealth: { relatedTo: i.bhRelatedTo, observations: i.bhObservations },
        subjectCount: i.subjectCount,
        occurredAt: i.occurredAt.toISOString(),
        receivedAt: i.receivedAt.toISOString(),
        sourceEventId: i.sourceEventId,
      })),
    };
  }
}
