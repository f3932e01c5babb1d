import { Injectable } from '@nestjs/common';
import { buildEvent, type CreateIncidentRequest } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { createLogger, currentContext } from '@cit/observability';
import { BlindIndex, FieldCipher } from '@cit/persistence';
import type { Principal } from '@cit/auth';
import { DataSource } from 'typeorm';
import { IncidentEntity } from '../incident.entity';
import { incidentRecordFromRequest, incidentReportedData, newId, type PhiProtection } from '../incident.mapper';

export interface CreateIncidentResult {
  incidentId: string;
  created: boolean;
}

/** Records a call for service and its cit.incident.reported.v1 event in one transaction. */
@Injectable()
export class CreateIncidentService {
  private readonly logger = createLogger('create-incident');
  private readonly protect: PhiProtection;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    cipher: FieldCipher,
    blindIndex: BlindIndex,
  ) {
    this.protect = { encrypt: (v) => cipher.encrypt(v), personMatch: (n, d) => blindIndex.personMatch(n, d) };
  }

  async create(req: CreateIncidentRequest, principal: Principal): Promise<CreateIncidentResult> {
    const departmentId = principal.departmentId;
    return this.dataSource.transaction(async (em) => {
      if (req.externalIds.cadCallNumber) {
        // The same CAD call reported twice is one incident (CAD interfaces retry).
        const existing = await em.findOne(IncidentEntity, {
          where: { departmentId, cadCallNumber: req.externalIds.cadCallNumber },
          select: { id: true },
        });
        if (existing) return { incidentId: existing.id, created: false };
      }
      const record = incidentRecordFromRequest(
        req,
        { incidentId: newId('inc'), departmentId, createdBy: principal.subject, now: new Date() },
        this.protect,
      );
      await em.getRepository(IncidentEntity).save(em.getRepository(IncidentEntity).create(record));
      const ctx = currentContext();
      const event = buildEvent('cit.incident.reported.v1', record.id, incidentReportedData(record), {
        source: '/cit/intake',
        departmentId,
        correlationId: ctx?.correlationId ?? record.id,
        causationId: ctx?.requestId,
      });
      await this.outbox.append(em, event);
      this.logger.info({ incidentId: record.id, eventId: event.id, subjects: record.subjects.length }, 'incident reported');
      return { incidentId: record.id, created: true };
    });
  }
}
