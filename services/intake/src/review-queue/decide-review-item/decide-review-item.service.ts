import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { problemType, type BhCoding, type ReviewItemStatus } from '@cit/contracts';
import { createLogger } from '@cit/observability';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { ProblemException } from '@cit/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import { IncidentEntity } from '../../incidents/incident.entity';
import { IncidentCodingService } from '../../incidents/reclassify-incident/incident-coding.service';
import { ReviewItemEntity } from '../review-item.entity';
import { inDepartment, intakePlaces } from '../../incidents/phi-places';
import type { ReviewItemView } from '../review-item.view';
import type { AcceptReviewItemRequest, DismissReviewItemRequest } from './decide-review-item.request';

/** Stable problem type of a decision on an item that is no longer pending. */
export const REVIEW_ITEM_DECIDED_PROBLEM = problemType('review-item-already-decided');

export interface AcceptResult extends ReviewItemView {
  incident: { behavioralHealth: BhCoding; version: number; changed: boolean };
}

/** Accepts (re-flags the incident) or dismisses a pending review item; one decision per item. */
@Injectable()
export class DecideReviewItemService {
  private readonly logger = createLogger('review-queue');

  constructor(
    private readonly dataSource: DataSource,
    private readonly coding: IncidentCodingService,
    private readonly cipher: FieldCipher,
  ) {}

  async accept(itemId: string, body: AcceptReviewItemRequest, principal: Principal): Promise<AcceptResult> {
    return tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
      const item = await this.lockPending(em, itemId, principal);
      const incident = await em.findOne(IncidentEntity, {
        where: { id: item.incidentId, departmentId: principal.departmentId },
        select: { id: true, bhObservations: true, bhSuspectedUsing: true },
      });
      if (!incident) throw new NotFoundException('incident not found');
      const coding: BhCoding = {
        relatedTo: body.relatedTo,
        observations: body.observations ?? (incident.bhObservations as BhCoding['observations']),
        suspectedUsing: body.suspectedUsing ?? (incident.bhSuspectedUsing as BhCoding['suspectedUsing']),
      };
      // Decided before re-flagging, so anything the re-flag does to pending items of this incident cannot touch it.
      const decided = await this.decide(em, item, 'accepted', body.reason, principal);
      const result = await this.coding.reclassify(em, {
        departmentId: principal.departmentId,
        incidentId: item.incidentId,
        coding,
        origin: 'review-queue',
        actorId: principal.subject,
        reasonCode: 'review-queue',
        reasonNote: body.reason,
      });
      this.logger.info(
        {
          departmentId: principal.departmentId,
          reviewItemId: item.id,
          incidentId: item.incidentId,
          version: result.version,
          changed: result.changed,
        },
        'review item accepted; incident re-flagged',
      );
      return { ...decided, incident: { behavioralHealth: coding, version: result.version, changed: result.changed } };
    });
  }

  async dismiss(itemId: string, body: DismissReviewItemRequest, principal: Principal): Promise<ReviewItemView> {
    return tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
      const item = await this.lockPending(em, itemId, principal);
      const decided = await this.decide(em, item, 'dismissed', body.reason, principal);
      this.logger.info(
        { departmentId: principal.departmentId, reviewItemId: item.id, incidentId: item.incidentId },
        'review item dismissed',
      );
      return decided;
    });
  }

  /** Another department's item is reported missing (404); a decided one is a 409. */
  private async lockPending(em: EntityManager, itemId: string, principal: Principal): Promise<ReviewItemEntity> {
    const item = await em.findOne(ReviewItemEntity, {
      where: { id: itemId, departmentId: principal.departmentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!item) throw new NotFoundException('review item not found');
    if (item.status !== 'pending') {
      throw new ProblemException(
        REVIEW_ITEM_DECIDED_PROBLEM,
        HttpStatus.CONFLICT,
        'Review item already decided',
        `The review item is ${item.status}.`,
      );
    }
    return item;
  }

  private async decide(
    em: EntityManager,
    item: ReviewItemEntity,
    status: Extract<ReviewItemStatus, 'accepted' | 'dismissed'>,
    reason: string,
    principal: Principal,
  ): Promise<ReviewItemView> {
    const decidedAt = new Date();
    await em.update(
      ReviewItemEntity,
      { id: item.id, departmentId: principal.departmentId, status: 'pending' },
      {
        status,
        decidedBy: principal.subject,
        decidedAt,
        decisionReason: this.cipher.encrypt(
          reason,
          inDepartment(principal.departmentId, intakePlaces.decisionReason(item.id)),
        ),
      },
    );
    return {
      id: item.id,
      incidentId: item.incidentId,
      reasons: item.reasons,
      status,
      createdAt: item.createdAt.toISOString(),
      decidedBy: principal.subject,
      decidedAt: decidedAt.toISOString(),
      decisionReason: reason,
    };
  }
}
