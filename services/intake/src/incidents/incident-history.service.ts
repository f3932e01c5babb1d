import { Injectable } from '@nestjs/common';
import { buildEvent, newId, type BhCoding, type EventData, type IncidentChangeKind } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { currentContext } from '@cit/observability';
import { FieldCipher } from '@cit/persistence';
import type { EntityManager } from 'typeorm';
import { IncidentChangeEntity } from './incident-change.entity';
import { inDepartment, intakePlaces } from './phi-places';

/** One versioned change of an incident. */
export interface IncidentChange {
  incidentId: string;
  departmentId: string;
  /** The version the change produced (already written to the incident row). */
  version: number;
  kind: IncidentChangeKind;
  /** Field names only: the history and the event never carry the values. */
  changedFields: string[];
  reasonCode: string;
  /** Free text, may hold PHI: stored encrypted, never put in events. */
  reasonNote?: string;
  previousCoding?: BhCoding;
  actorId: string;
  at: Date;
}

type ChangeEventType = 'cit.incident.updated.v1' | 'cit.incident.reclassified.v1';

/** Writes an incident's change history row and its event together, in the caller's transaction. */
@Injectable()
export class IncidentHistory {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly cipher: FieldCipher,
  ) {}

  async record<T extends ChangeEventType>(
    em: EntityManager,
    change: IncidentChange,
    type: T,
    data: EventData<T>,
  ): Promise<void> {
    const id = newId('chg');
    await em.insert(IncidentChangeEntity, {
      id,
      incidentId: change.incidentId,
      departmentId: change.departmentId,
      version: change.version,
      kind: change.kind,
      changedFields: change.changedFields,
      reasonCode: change.reasonCode,
      reasonNote: change.reasonNote
        ? this.cipher.encrypt(change.reasonNote, inDepartment(change.departmentId, intakePlaces.changeReason(id)))
        : null,
      previousCoding: change.previousCoding ?? null,
      changedBy: change.actorId,
      changedAt: change.at,
    });
    const ctx = currentContext();
    await this.outbox.append(
      em,
      buildEvent(type, change.incidentId, data, {
        departmentId: change.departmentId,
        correlationId: ctx?.correlationId ?? change.incidentId,
        causationId: ctx?.requestId,
      }),
    );
  }
}
