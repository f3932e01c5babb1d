import { Injectable, NotFoundException } from '@nestjs/common';
import { buildEvent, type BhCoding } from '@cit/contracts';
import type { Principal } from '@cit/auth';
import { OutboxWriter } from '@cit/messaging';
import { currentContext } from '@cit/observability';
import { FieldCipher } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { ReviewScreener } from '../../review-queue/review-screener.service';
import { IncidentChangeEntity } from '../incident-change.entity';
import { IncidentSupplementEntity } from '../incident-supplement.entity';
import { IncidentEntity } from '../incident.entity';
import { newId } from '../incident.mapper';

/** Appends narrative (never overwrites it), screens the new text, and emits cit.incident.updated.v1. */
@Injectable()
export class AppendSupplementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly cipher: FieldCipher,
    private readonly screener: ReviewScreener,
  ) {}

  async append(incidentId: string, narrative: string, principal: Principal) {
    return this.dataSource.transaction(async (em) => {
      const incident = await em.findOne(IncidentEntity, {
        where: { id: incidentId, departmentId: principal.departmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!incident) throw new NotFoundException('incident not found');
      const now = new Date();
      const version = incident.version + 1;
      const supplementId = newId('sup');
      await em.insert(IncidentSupplementEntity, {
        id: supplementId,
        incidentId,
        departmentId: principal.departmentId,
        narrative: this.cipher.encrypt(narrative),
        addedBy: principal.subject,
        addedAt: now,
      });
      await em.update(IncidentEntity, { id: incidentId }, { version, updatedAt: now });
      await em.insert(IncidentChangeEntity, {
        id: newId('chg'),
        incidentId,
        departmentId: principal.departmentId,
        version,
        kind: 'supplement',
        changedFields: ['supplements'],
        reasonCode: 'supplement',
        reasonNote: null,
        previousCoding: null,
        changedBy: principal.subject,
        changedAt: now,
      });
      await this.screener.screenIncident(em, {
        incidentId,
        departmentId: principal.departmentId,
        callType: incident.callType,
        narrative,
        observations: incident.bhObservations,
        coding: {
          relatedTo: incident.bhRelatedTo,
          observations: incident.bhObservations as BhCoding['observations'],
          suspectedUsing: incident.bhSuspectedUsing as BhCoding['suspectedUsing'],
        },
      });
      const ctx = currentContext();
      await this.outbox.append(
        em,
        buildEvent(
          'cit.incident.updated.v1',
          incidentId,
          { incidentId, changedFields: ['supplements'], kind: 'supplement', reasonCode: 'supplement', updatedBy: principal.subject, version },
          { source: '/cit/intake', departmentId: principal.departmentId, correlationId: ctx?.correlationId ?? incidentId, causationId: ctx?.requestId },
        ),
      );
      return { supplementId, incidentId, version, addedAt: now.toISOString() };
    });
  }
}
