import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { ReviewScreener } from '../../review-queue/review-screener.service';
import { IncidentCodingService } from './incident-coding.service';
import type { ReclassifyIncidentRequest } from './reclassify-incident.request';

/** PUT /v1/incidents/{id}/indicators: the new coding and the review queue's answer to it, in one transaction. */
@Injectable()
export class ReclassifyIncidentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly coding: IncidentCodingService,
    private readonly screener: ReviewScreener,
  ) {}

  async reclassify(incidentId: string, body: ReclassifyIncidentRequest, principal: Principal) {
    return tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
      const result = await this.coding.reclassify(em, {
        departmentId: principal.departmentId,
        incidentId,
        coding: body.behavioralHealth,
        origin: 'manual',
        actorId: principal.subject,
        reasonCode: body.reason.code,
        reasonNote: body.reason.note,
      });
      // A pending review item the new coding answers needs no one's decision any more.
      await this.screener.resolveOnReclassify(
        em,
        principal.departmentId,
        incidentId,
        body.behavioralHealth,
        principal.subject,
      );
      return { incidentId, behavioralHealth: body.behavioralHealth, version: result.version, changed: result.changed };
    });
  }
}
