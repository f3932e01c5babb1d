import { HttpStatus, Injectable } from '@nestjs/common';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { ageRangeOfAge } from '../domain/age-range';
import { NominationIdentity } from '../nomination-identity';
import { requestSchedulingContext } from '../nomination.record';
import { lockPerson, NominationWriter } from '../nomination-writer.service';
import type { FamilyNominationRequest } from './family-nomination.request';

/** The one answer the public form gives, whatever happened to the submission. */
export const FAMILY_FORM_RECEIVED = {
  received: true,
  message: 'Thank you. A coordinator will review what you sent and may call you back.',
} as const;

/** 404 for a department that does not exist or takes no family nominations (the same answer for both). */
function formNotAvailable() {
  return new ProblemException(ProblemType.notFound, HttpStatus.NOT_FOUND, 'Not found', 'No such form.');
}

/**
 * A family member's nomination: stored pending verification, never opened by itself. A person
 * who already has an open or pending nomination gets no second one to work: the submission is
 * kept, linked to it, for the coordinator — and the answer is the same either way.
 */
@Injectable()
export class FamilyNominationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identity: NominationIdentity,
    private readonly writer: NominationWriter,
  ) {}

  async submit(departmentId: string, req: FamilyNominationRequest): Promise<typeof FAMILY_FORM_RECEIVED> {
    const person = this.identity.protect(departmentId, {
      name: req.personName,
      birthDate: req.birthDate,
      ageRange: req.approximateAge !== undefined ? ageRangeOfAge(req.approximateAge) : undefined,
    });
    await tenantTransaction(this.dataSource, departmentId, async (em) => {
      const [settings]: Array<{ family_form_enabled: boolean }> = await em.query(
        `SELECT family_form_enabled FROM conference_settings WHERE department_id = $1`,
        [departmentId],
      );
      if (!settings?.family_form_enabled) throw formNotAvailable();
      await lockPerson(em, departmentId, person.personKey);
      const [existing]: Array<{ id: string }> = await em.query(
        `SELECT id FROM nomination WHERE department_id = $1 AND person_key = ANY($2::text[])
            AND status IN ('open', 'pending-verification')
          ORDER BY (status = 'open') DESC, created_at LIMIT 1`,
        [departmentId, person.personKeys],
      );
      await this.writer.insert(em, requestSchedulingContext(departmentId), {
        id: person.nominationId,
        personKey: person.personKey,
        personId: null,
        source: 'family',
        submittedBy: 'public-form',
        status: 'pending-verification',
        linkedNominationId: existing?.id ?? null,
        riskLevel: 'routine',
        riskFactors: [],
        ageRange: person.ageRange,
        gender: 'not-recorded',
        reasonCode: 'family-concern',
        relationship: req.relationship,
        nameCiphertext: person.nameCiphertext,
        birthDateCiphertext: person.birthDateCiphertext,
        reasonTextCiphertext: this.identity.encrypt(person, 'reason_text_ciphertext', req.concern),
        contactCiphertext: this.identity.encrypt(person, 'contact_ciphertext', req.callbackContact),
      });
    });
    return FAMILY_FORM_RECEIVED;
  }
}
