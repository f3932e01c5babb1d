import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { BlindIndex, FieldCipher, tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType, RequestValidationError } from '@cit/service-kit';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { PersonMatcher } from '../../persons/person-matcher.service';
import type { SubjectIndexes } from '../../persons/person-matching';
import { IncidentHistory } from '../incident-history.service';
import { IncidentSubjectEntity } from '../incident-subject.entity';
import { IncidentEntity } from '../incident.entity';
import { subjectIndexes } from '../subject-indexes';
import type { CorrectIncidentRequest } from './correct-incident.request';
import { incidentColumnUpdates } from './incident-corrections';
import { inDepartment, intakePlaces } from '../phi-places';

type SubjectCorrection = NonNullable<CorrectIncidentRequest['changes']['subjects']>[number];

/** Corrects recorded fields with a required reason; history, new version and cit.incident.updated.v1 commit together. */
@Injectable()
export class CorrectIncidentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly history: IncidentHistory,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly persons: PersonMatcher,
  ) {}

  async correct(incidentId: string, req: CorrectIncidentRequest, principal: Principal) {
    try {
      return await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
        this.apply(em, incidentId, req, principal),
      );
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505') {
        throw new ProblemException(
          ProblemType.conflict,
          HttpStatus.CONFLICT,
          'Conflict',
          'rmsIncidentNumber is already used by another incident of the department',
        );
      }
      throw err;
    }
  }

  private async apply(em: EntityManager, incidentId: string, req: CorrectIncidentRequest, principal: Principal) {
    const departmentId = principal.departmentId;
    const incident = await em.findOne(IncidentEntity, {
      where: { id: incidentId, departmentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!incident) throw new NotFoundException('incident not found');
    const now = new Date();
    const version = incident.version + 1;
    const { updates, fields } = incidentColumnUpdates(incidentId, req.changes, {
      encrypt: (v, place) => this.cipher.encrypt(v, inDepartment(departmentId, place)),
    });
    for (const [i, subject] of (req.changes.subjects ?? []).entries()) {
      fields.push(...(await this.correctSubject(em, incidentId, departmentId, subject, i)));
    }

    await em.update(IncidentEntity, { id: incidentId, departmentId }, { ...updates, version, updatedAt: now });
    await this.history.record(
      em,
      {
        incidentId,
        departmentId,
        version,
        kind: 'correction',
        changedFields: fields,
        reasonCode: req.reason.code,
        reasonNote: req.reason.note,
        actorId: principal.subject,
        at: now,
      },
      'cit.incident.updated.v1',
      {
        incidentId,
        changedFields: fields,
        kind: 'correction',
        reasonCode: req.reason.code,
        updatedBy: principal.subject,
        version,
      },
    );
    return { incidentId, version, changedFields: fields };
  }

  /** Corrects one subject; identity changes re-index it and re-link it to the right person. */
  private async correctSubject(
    em: EntityManager,
    incidentId: string,
    departmentId: string,
    c: SubjectCorrection,
    index: number,
  ): Promise<string[]> {
    const subject = await em.findOne(IncidentSubjectEntity, { where: { id: c.id, incidentId, departmentId } });
    if (!subject)
      throw new RequestValidationError([
        { field: `changes.subjects.${index}.id`, detail: 'no such subject on this incident' },
      ]);
    const column = { name: 'name', dateOfBirth: 'date_of_birth', phone: 'phone', address: 'address' } as const;
    const at = (key: keyof typeof column) => inDepartment(departmentId, intakePlaces.subject(subject.id, column[key]));
    const updates: Partial<IncidentSubjectEntity> = {};
    const fields: string[] = [];
    for (const key of ['name', 'dateOfBirth', 'phone', 'address'] as const) {
      if (c[key] !== undefined) {
        updates[key] = this.cipher.encrypt(c[key] as string, at(key));
        fields.push(`subjects.${key}`);
      }
    }
    if (c.language !== undefined) {
      updates.language = c.language;
      fields.push('subjects.language');
    }
    for (const flag of ['juvenile', 'senior', 'veteran', 'experiencingHomelessness'] as const) {
      if (c.flags?.[flag] !== undefined) {
        updates[flag] = c.flags[flag];
        fields.push(`subjects.flags.${flag}`);
      }
    }
    const identityChanged = c.name !== undefined || c.dateOfBirth !== undefined || c.phone !== undefined;
    let previous: SubjectIndexes['previous'] = null;
    if (identityChanged) {
      const open = (v: string | null, key: keyof typeof column) =>
        v === null ? undefined : this.cipher.decrypt(v, at(key));
      const name = c.name ?? open(subject.name, 'name')!;
      const dob = c.dateOfBirth ?? open(subject.dateOfBirth, 'dateOfBirth');
      const phone = c.phone ?? open(subject.phone, 'phone');
      const { previous: earlier, ...indexes } = subjectIndexes(this.blindIndex, departmentId, name, dob, phone);
      previous = earlier;
      Object.assign(updates, indexes);
    }
    if (Object.keys(updates).length) await em.update(IncidentSubjectEntity, { id: subject.id, departmentId }, updates);
    if (identityChanged) {
      await this.persons.linkSubjects(em, departmentId, [
        {
          id: subject.id,
          personMatchIndex: updates.personMatchIndex ?? null,
          personPhoneIndex: updates.personPhoneIndex ?? null,
          previous,
        },
      ]);
    }
    return [...new Set(fields)];
  }
}
