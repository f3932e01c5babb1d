import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { ReviewScreener } from '../../review-queue/review-screener.service';
import { codingOf } from '../bh-coding';
import { IncidentHistory } from '../incident-history.service';
import { IncidentSupplementEntity } from '../incident-supplement.entity';
import { IncidentEntity } from '../incident.entity';
import { inDepartment, intakePlaces } from '../phi-places';

/** Appends narrative (never overwrites it), screens the new text, and emits cit.incident.updated.v1. */
@Injectable()
export class AppendSupplementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly history: IncidentHistory,
    private readonly cipher: FieldCipher,
    private readonly screener: ReviewScreener,
  ) {}

  async append(incidentId: string, narrative: string, principal: Principal) {
    return tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
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
        narrative: this.cipher.encrypt(
          narrative,
          inDepartment(principal.departmentId, intakePlaces.supplement(supplementId)),
        ),
        addedBy: principal.subject,
        addedAt: now,
      });
      await em.update(
        IncidentEntity,
        { id: incidentId, departmentId: principal.departmentId },
        { version, updatedAt: now },
      );
      await this.screener.screenIncident(em, {
        incidentId,
        departmentId: principal.departmentId,
        callType: incident.callType,
        narrative,
        observations: incident.bhObservations,
        coding: codingOf(incident),
      });
      await this.history.record(
        em,
        {
          incidentId,
          departmentId: principal.departmentId,
          version,
          kind: 'supplement',
          changedFields: ['supplements'],
          reasonCode: 'supplement',
          actorId: principal.subject,
          at: now,
        },
        'cit.incident.updated.v1',
        {
          incidentId,
          changedFields: ['supplements'],
          kind: 'supplement',
          reasonCode: 'supplement',
          updatedBy: principal.subject,
          version,
        },
      );
      return { supplementId, incidentId, version, addedAt: now.toISOString() };
    });
  }
}
