import { HttpStatus, Injectable } from '@nestjs/common';
import { buildEvent, type CreateIncidentRequest } from '@cit/contracts';
import type { Principal } from '@cit/auth';
import { OutboxWriter } from '@cit/messaging';
import { createLogger, currentContext } from '@cit/observability';
import { BlindIndex, FieldCipher } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { PersonMatcher } from '../../persons/person-matcher.service';
import { ReviewScreener } from '../../review-queue/review-screener.service';
import { IdempotencyKeyEntity } from '../idempotency-key.entity';
import { IncidentSubjectEntity } from '../incident-subject.entity';
import { IncidentEntity } from '../incident.entity';
import { incidentRecordFromRequest, incidentReportedData, newId, type IncidentRecord, type PhiProtection } from '../incident.mapper';
import { subjectIndexes } from '../subject-indexes';
import { requestFingerprint } from './request-fingerprint';

export type CreateIncidentResult = { created: true; record: IncidentRecord } | { created: false; incidentId: string };

const UNIQUE_VIOLATION = '23505';

/**
 * Records a call for service, links its subjects to persons, screens it for unflagged
 * behavioral-health indicators and writes cit.incident.reported.v1 — one transaction.
 * Idempotent by Idempotency-Key and by CAD call number within the department.
 */
@Injectable()
export class CreateIncidentService {
  private readonly logger = createLogger('create-incident');
  private readonly protect: PhiProtection;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly persons: PersonMatcher,
    private readonly screener: ReviewScreener,
    cipher: FieldCipher,
    blindIndex: BlindIndex,
  ) {
    this.protect = {
      encrypt: (v) => cipher.encrypt(v),
      personMatch: (n, d) => subjectIndexes(blindIndex, n, d, null).personMatchIndex,
      phoneMatch: (n, p) => subjectIndexes(blindIndex, n, null, p).personPhoneIndex,
    };
  }

  async create(req: CreateIncidentRequest, principal: Principal, idempotencyKey?: string): Promise<CreateIncidentResult> {
    const fingerprint = idempotencyKey ? requestFingerprint(req) : '';
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((em) => this.createIn(em, req, principal, idempotencyKey, fingerprint));
      } catch (err) {
        // Two requests for the same CAD call raced; the loser finds the winner's incident on retry.
        const code = err instanceof QueryFailedError ? (err.driverError as { code?: string }).code : undefined;
        if (code !== UNIQUE_VIOLATION || attempt >= 2) throw err;
      }
    }
  }

  private async createIn(
    em: EntityManager,
    req: CreateIncidentRequest,
    principal: Principal,
    key: string | undefined,
    fingerprint: string,
  ): Promise<CreateIncidentResult> {
    const departmentId = principal.departmentId;
    if (key) {
      // Serializes requests carrying the same key, so the second sees the first one's row.
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`idempotency|${departmentId}|${key}`]);
      const used = await em.findOne(IdempotencyKeyEntity, { where: { departmentId, key } });
      if (used) {
        if (used.requestHash !== fingerprint) {
          throw new ProblemException(
            ProblemType.unprocessable,
            HttpStatus.UNPROCESSABLE_ENTITY,
            'Idempotency-Key reused',
            'This Idempotency-Key was already used with a different request body.',
          );
        }
        return { created: false, incidentId: used.incidentId };
      }
    }
    const remember = async (incidentId: string) => {
      if (key) await em.insert(IdempotencyKeyEntity, { departmentId, key, requestHash: fingerprint, incidentId, createdAt: new Date() });
    };
    if (req.externalIds.cadCallNumber) {
      // The same CAD call reported twice is one incident (CAD interfaces retry).
      const existing = await em.findOne(IncidentEntity, {
        where: { departmentId, cadCallNumber: req.externalIds.cadCallNumber },
        select: { id: true },
      });
      if (existing) {
        await remember(existing.id);
        return { created: false, incidentId: existing.id };
      }
    }

    const record = incidentRecordFromRequest(req, { incidentId: newId('inc'), departmentId, createdBy: principal.subject, now: new Date() }, this.protect);
    const { subjects, ...incident } = record;
    await em.insert(IncidentEntity, incident);
    if (subjects.length) await em.insert(IncidentSubjectEntity, subjects);
    const personIds = await this.persons.linkSubjects(em, departmentId, subjects);
    for (const s of subjects) s.personId = personIds.get(s.id) ?? null;
    await this.screener.screenIncident(em, {
      incidentId: record.id,
      departmentId,
      callType: req.callType,
      narrative: req.narrative,
      observations: req.behavioralHealth.observations,
      coding: req.behavioralHealth,
    });
    await remember(record.id);
    const ctx = currentContext();
    const event = buildEvent('cit.incident.reported.v1', record.id, incidentReportedData(record), {
      source: '/cit/intake',
      departmentId,
      correlationId: ctx?.correlationId ?? record.id,
      causationId: ctx?.requestId,
    });
    await this.outbox.append(em, event);
    this.logger.info({ incidentId: record.id, eventId: event.id, subjects: subjects.length }, 'incident reported');
    return { created: true, record };
  }
}
