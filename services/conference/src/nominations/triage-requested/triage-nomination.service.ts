import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@cit/audit';
import type { ConferenceNominationRequested } from '@cit/contracts';
import { FieldCipher } from '@cit/persistence';
import type { EntityManager } from 'typeorm';
import type { SchedulingContext } from '../../agenda/agenda-scheduler';
import { projectedPerson, type ProjectedPerson } from '../../persons/person-projection.store';
import { reportedSubjectPlace } from '../../privacy/phi-places';
import { ageRangeOfBirthDate, isPlausibleBirthDate, type AgeRange } from '../domain/age-range';
import { deriveTriageRiskFactors } from '../domain/risk-factors';
import { NominationWriter } from '../nomination-writer.service';

const REASON_CODE: Record<ConferenceNominationRequested['reason'], string> = {
  'repeat-contacts': 'repeat-contacts',
  'acutely-elevated-risk': 'acutely-elevated-risk',
  'clinician-request': 'clinician-request',
  'partner-request': 'partner-request',
};

/**
 * Triage's automatic nomination: open at once (triage's rule is the verification), identity
 * from the projection of intake's incidents, risk factors from the reason and the person's last
 * behavioral-health codes. Idempotent by nominationRequestId; a person who already has an open
 * nomination gets no second one (the request is kept closed as 'duplicate', linked to it).
 */
@Injectable()
export class TriageNominationService {
  constructor(
    private readonly writer: NominationWriter,
    private readonly cipher: FieldCipher,
    private readonly trail: AuditTrail,
  ) {}

  /** Returns the nomination id, or null when this request was already taken. */
  async request(em: EntityManager, ctx: SchedulingContext, d: ConferenceNominationRequested): Promise<string | null> {
    const dept = ctx.departmentId;
    const existing = await this.writer.openNominationOf(em, dept, d.personId);
    const [seen]: unknown[] = await em.query(
      `SELECT 1 FROM nomination WHERE department_id = $1 AND nomination_request_id = $2`,
      [dept, d.nominationRequestId],
    );
    if (seen) return null;
    const person = await projectedPerson(em, dept, d.personId);
    if (existing && d.caseId) {
      await em.query(
        `UPDATE nomination SET triage_case_id = $3, updated_at = now(), version = version + 1
          WHERE department_id = $1 AND id = $2 AND triage_case_id IS NULL`,
        [dept, existing.id, d.caseId],
      );
    }
    return this.writer.insert(em, ctx, {
      personKey: d.personId,
      personId: d.personId,
      triageCaseId: d.caseId ?? null,
      nominationRequestId: d.nominationRequestId,
      source: 'triage',
      submittedBy: 'triage',
      seriesKind: d.preferredSeriesKind ?? null,
      status: existing ? 'closed' : 'open',
      closedStatus: existing ? 'duplicate' : null,
      linkedNominationId: existing?.id ?? null,
      riskLevel: d.riskLevel,
      riskFactors: deriveTriageRiskFactors(d.reason, person?.coding ?? null),
      ageRange: existing ? null : await this.ageRangeOf(em, ctx, d.personId, person),
      gender: 'not-recorded',
      reasonCode: REASON_CODE[d.reason],
      nameCiphertext: person?.nameCiphertext ?? null,
      birthDateCiphertext: person?.birthDateCiphertext ?? null,
      nameSubjectId: person?.nameSubjectId ?? null,
      birthDateSubjectId: person?.birthDateSubjectId ?? null,
      reasonTextCiphertext: null,
      contactCiphertext: null,
    });
  }

  /**
   * The presentation's age band from intake's birth date: the one decryption the service makes on
   * its own, recorded in the audit as the system's. An unreadable or implausible date gives no band.
   */
  private async ageRangeOf(
    em: EntityManager,
    ctx: SchedulingContext,
    personId: string,
    person: ProjectedPerson | null,
  ): Promise<AgeRange | null> {
    if (!person?.birthDateCiphertext) return null;
    let birthDate: string;
    try {
      birthDate = this.cipher.decrypt(
        person.birthDateCiphertext,
        reportedSubjectPlace(ctx.departmentId, person.birthDateSubjectId, 'dateOfBirth'),
      );
    } catch {
      return null;
    }
    await this.trail.append(
      em,
      {
        departmentId: ctx.departmentId,
        actor: { subject: 'conference', kind: 'system', roles: [] },
        purpose: 'operations',
        requestId: null,
        correlationId: ctx.correlationId,
        clientAddress: null,
      },
      [
        {
          action: 'decrypt',
          recordType: 'conference-person',
          recordId: personId,
          personIds: [personId],
          fields: ['birthDate'],
        },
      ],
    );
    const now = new Date();
    return isPlausibleBirthDate(birthDate, now) ? ageRangeOfBirthDate(birthDate, now) : null;
  }
}
