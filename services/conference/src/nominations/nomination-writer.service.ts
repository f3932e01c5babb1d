import { Injectable } from '@nestjs/common';
import { newId } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import { AgendaScheduler, type SchedulingContext } from '../agenda/agenda-scheduler';
import type { AgeRange } from './domain/age-range';
import type { NominationStatus } from './domain/nomination-status';
import { lockOpenNominationOf, type NominationRow } from './nomination.record';

/** A nomination to store; identity, reason text and contact arrive already encrypted. */
export interface NewNomination {
  personKey: string;
  personId: string | null;
  triageCaseId?: string | null;
  nominationRequestId?: string | null;
  source: 'partner' | 'family' | 'triage' | 'staff';
  sourceAgencyId?: string | null;
  submittedBy: string;
  seriesKind?: string | null;
  status: Extract<NominationStatus, 'open' | 'pending-verification' | 'closed'>;
  closedStatus?: string | null;
  linkedNominationId?: string | null;
  riskLevel: string;
  riskFactors: readonly string[];
  ageRange: AgeRange | null;
  gender: string;
  reasonCode: string;
  relationship?: string | null;
  nameCiphertext: string | null;
  birthDateCiphertext: string | null;
  /** Set when the name or birth date is intake's token, bound to that subject (conference/src/privacy/phi-places.ts). */
  nameSubjectId?: string | null;
  birthDateSubjectId?: string | null;
  /** The id the caller's own ciphertexts were bound to (NominationIdentity.protect); new otherwise. */
  id?: string;
  reasonTextCiphertext: string | null;
  contactCiphertext: string | null;
}

/**
 * Serializes every write that may open a nomination for one person (create, verify, merge):
 * with the lock held, "is there an open one?" stays true until commit. The partial unique index
 * backs it up; the lock turns a would-be unique violation into a clear answer.
 */
export async function lockPerson(em: EntityManager, departmentId: string, personKey: string): Promise<void> {
  // A 64-bit key of its own (single-bigint form): department ids and person keys hold no '|'.
  await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `conference.nomination-person|${departmentId}|${personKey}`,
  ]);
}

/** Stores nominations, records filter 1 (the de-identified presentation) and puts open ones on an agenda. */
@Injectable()
export class NominationWriter {
  constructor(private readonly scheduler: AgendaScheduler) {}

  /** The person's open nomination under the person lock (call before deciding a new one's status). */
  async openNominationOf(
    em: EntityManager,
    departmentId: string,
    personKey: string | readonly string[],
  ): Promise<NominationRow | null> {
    // The lock is on the stored (first) key: every writer of this person computes the same one.
    const keys = typeof personKey === 'string' ? [personKey] : personKey;
    await lockPerson(em, departmentId, keys[0]);
    return lockOpenNominationOf(em, departmentId, keys);
  }

  /** Inserts the nomination in the caller's transaction; an open one is placed on the agenda in it too. */
  async insert(em: EntityManager, ctx: SchedulingContext, n: NewNomination): Promise<string> {
    const id = n.id ?? newId('nom');
    const closed = n.status === 'closed';
    await em.query(
      `INSERT INTO nomination (department_id, id, person_key, person_id, triage_case_id, nomination_request_id, source,
         source_agency_id, submitted_by, series_kind, status, privacy_stage, risk_level, risk_factors,
         risk_factor_count, age_range, gender, reason_code, relationship, name_ciphertext, birth_date_ciphertext,
         reason_text_ciphertext, contact_ciphertext, linked_nomination_id, verified_at, closed_at, closed_status,
         name_subject_id, birth_date_subject_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'de-identified', $12, $13::text[], $14, $15, $16, $17, $18,
         $19, $20, $21, $22, $23, CASE WHEN $11 = 'open' THEN now() END, CASE WHEN $24 THEN now() END, $25, $26, $27)`,
      [
        ctx.departmentId,
        id,
        n.personKey,
        n.personId,
        n.triageCaseId ?? null,
        n.nominationRequestId ?? null,
        n.source,
        n.sourceAgencyId ?? null,
        n.submittedBy,
        n.seriesKind ?? null,
        n.status,
        n.riskLevel,
        [...n.riskFactors],
        n.riskFactors.length,
        n.ageRange,
        n.gender,
        n.reasonCode,
        n.relationship ?? null,
        n.nameCiphertext,
        n.birthDateCiphertext,
        n.reasonTextCiphertext,
        n.contactCiphertext,
        n.linkedNominationId ?? null,
        closed,
        n.closedStatus ?? null,
        n.nameSubjectId ?? null,
        n.birthDateSubjectId ?? null,
      ],
    );
    await recordPresentation(em, ctx.departmentId, id, n.submittedBy);
    if (n.status === 'open') await this.scheduler.placeOpenNominations(em, ctx);
    return id;
  }

  /** A nomination just became open (verified, reopened): the scheduler places it in the same transaction. */
  async opened(em: EntityManager, ctx: SchedulingContext): Promise<void> {
    await this.scheduler.placeOpenNominations(em, ctx);
  }
}

/** Filter 1: the situation is presented de-identified (on creation and on each change of the presentation). */
export async function recordPresentation(
  em: EntityManager,
  departmentId: string,
  nominationId: string,
  by: string,
): Promise<void> {
  await em.query(
    `INSERT INTO privacy_step (department_id, nomination_id, filter, action, recorded_by) VALUES ($1, $2, 1, 'presented', $3)`,
    [departmentId, nominationId, by],
  );
}
