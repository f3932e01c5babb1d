import { Injectable, NotFoundException } from '@nestjs/common';
import { buildEvent, type BhCoding } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { currentContext } from '@cit/observability';
import { FieldCipher } from '@cit/persistence';
import type { EntityManager } from 'typeorm';
import { normalizeCoding, sameCoding } from '../bh-coding';
import { IncidentChangeEntity } from '../incident-change.entity';
import { IncidentEntity } from '../incident.entity';
import { newId } from '../incident.mapper';

export type ReclassifyReasonCode = 'new-information' | 'clinical-review' | 'review-queue' | 'data-entry-error' | 'supervisor-correction' | 'other';

export interface ReclassifyCommand {
  departmentId: string;
  incidentId: string;
  coding: BhCoding;
  origin: 'manual' | 'review-queue' | 'import';
  actorId: string;
  reasonCode: ReclassifyReasonCode;
  /** Free text, may hold PHI: stored encrypted, never put in events. */
  reasonNote?: string;
}

/**
 * Re-flags the behavioral-health coding of an incident at any time after dispatch: the
 * new coding, its history row and cit.incident.reclassified.v1 commit together in the
 * caller's transaction. The same coding again changes nothing and emits nothing.
 */
@Injectable()
export class IncidentCodingService {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly cipher: FieldCipher,
  ) {}

  async reclassify(manager: EntityManager, cmd: ReclassifyCommand): Promise<{ version: number; changed: boolean }> {
    const incident = await manager.findOne(IncidentEntity, {
      where: { id: cmd.incidentId, departmentId: cmd.departmentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!incident) throw new NotFoundException('incident not found');
    const previous: BhCoding = {
      relatedTo: incident.bhRelatedTo,
      observations: incident.bhObservations as BhCoding['observations'],
      suspectedUsing: incident.bhSuspectedUsing as BhCoding['suspectedUsing'],
    };
    const current = normalizeCoding(cmd.coding);
    if (sameCoding(previous, current)) return { version: incident.version, changed: false };

    const version = incident.version + 1;
    const now = new Date();
    await manager.update(
      IncidentEntity,
      { id: incident.id },
      { bhRelatedTo: current.relatedTo, bhObservations: current.observations, bhSuspectedUsing: current.suspectedUsing, version, updatedAt: now },
    );
    await manager.insert(IncidentChangeEntity, {
      id: newId('chg'),
      incidentId: incident.id,
      departmentId: cmd.departmentId,
      version,
      kind: 'reclassification',
      changedFields: ['behavioralHealth'],
      reasonCode: cmd.reasonCode,
      reasonNote: cmd.reasonNote ? this.cipher.encrypt(cmd.reasonNote) : null,
      previousCoding: previous,
      changedBy: cmd.actorId,
      changedAt: now,
    });
    const ctx = currentContext();
    await this.outbox.append(
      manager,
      buildEvent(
        'cit.incident.reclassified.v1',
        incident.id,
        { incidentId: incident.id, previous, current, origin: cmd.origin, reclassifiedBy: cmd.actorId, reasonCode: cmd.reasonCode, version },
        { source: '/cit/intake', departmentId: cmd.departmentId, correlationId: ctx?.correlationId ?? incident.id, causationId: ctx?.requestId },
      ),
    );
    return { version, changed: true };
  }
}
