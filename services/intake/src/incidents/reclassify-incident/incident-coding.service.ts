import { Injectable, NotFoundException } from '@nestjs/common';
import type { BhCoding, ReclassificationOrigin, ReclassificationReasonCode } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import { codingOf, normalizeCoding, sameCoding } from '../bh-coding';
import { IncidentHistory } from '../incident-history.service';
import { IncidentEntity } from '../incident.entity';

export interface ReclassifyCommand {
  departmentId: string;
  incidentId: string;
  coding: BhCoding;
  origin: ReclassificationOrigin;
  actorId: string;
  reasonCode: ReclassificationReasonCode;
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
  constructor(private readonly history: IncidentHistory) {}

  async reclassify(manager: EntityManager, cmd: ReclassifyCommand): Promise<{ version: number; changed: boolean }> {
    const incident = await manager.findOne(IncidentEntity, {
      where: { id: cmd.incidentId, departmentId: cmd.departmentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!incident) throw new NotFoundException('incident not found');
    const previous = codingOf(incident);
    const current = normalizeCoding(cmd.coding);
    if (sameCoding(previous, current)) return { version: incident.version, changed: false };

    const version = incident.version + 1;
    const now = new Date();
    await manager.update(
      IncidentEntity,
      { id: incident.id, departmentId: cmd.departmentId },
      {
        bhRelatedTo: current.relatedTo,
        bhObservations: current.observations,
        bhSuspectedUsing: current.suspectedUsing,
        version,
        updatedAt: now,
      },
    );
    await this.history.record(
      manager,
      {
        incidentId: incident.id,
        departmentId: cmd.departmentId,
        version,
        kind: 'reclassification',
        changedFields: ['behavioralHealth'],
        reasonCode: cmd.reasonCode,
        reasonNote: cmd.reasonNote,
        previousCoding: previous,
        actorId: cmd.actorId,
        at: now,
      },
      'cit.incident.reclassified.v1',
      {
        incidentId: incident.id,
        previous,
        current,
        origin: cmd.origin,
        reclassifiedBy: cmd.actorId,
        reasonCode: cmd.reasonCode,
        version,
      },
    );
    return { version, changed: true };
  }
}
