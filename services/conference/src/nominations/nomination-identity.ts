import { Injectable } from '@nestjs/common';
import { newId } from '@cit/contracts';
import { BlindIndex, FieldCipher } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { ageRangeOfBirthDate, isPlausibleBirthDate, type AgeRange } from './domain/age-range';
import { nominationPhiPlace, type NominationPhiColumn } from '../privacy/phi-places';
import { NOMINATION_PERSON_DOMAIN, personKeyInput, type PersonIdentity } from './domain/person-key';

/** What a nominator said about the person, in the clear (request bodies only; never stored as is). */
export interface GivenIdentity {
  personId?: string;
  name?: string;
  birthDate?: string;
  ageRange?: AgeRange;
}

/** The identity as stored: a person key, the age band shown, and ciphertext. */
export interface ProtectedIdentity {
  personKey: string;
  /** Every key a lookup of this person accepts: the stored one, then the previous blind-index version's during a rotation. */
  personKeys: string[];
  personId: string | null;
  /** The nomination the ciphertexts are bound to: insert it under this id. */
  nominationId: string;
  departmentId: string;
  ageRange: AgeRange | null;
  nameCiphertext: string | null;
  birthDateCiphertext: string | null;
  /** Names of the PHI fields given (for the audit). */
  fields: string[];
}

/** Keys and encrypts what nominators say about a person; the only place their plain identity passes through. */
@Injectable()
export class NominationIdentity {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
  ) {}

  /** Refuses an impossible birth date (400 naming birthDate), then keys (with the department's blind-index keys) and encrypts. */
  protect(
    departmentId: string,
    given: GivenIdentity,
    now: Date = new Date(),
    nominationId: string = newId('nom'),
  ): ProtectedIdentity {
    if (given.birthDate !== undefined && !isPlausibleBirthDate(given.birthDate, now)) {
      throw new RequestValidationError([
        { field: 'birthDate', detail: 'must be a real date, not in the future, at most 120 years ago' },
      ]);
    }
    const identity: PersonIdentity = given.personId
      ? { personId: given.personId }
      : given.birthDate
        ? { name: given.name!, birthDate: given.birthDate }
        : { name: given.name!, ageRange: given.ageRange! };
    const key = personKeyInput(identity);
    // Per-department keys: a person nominated in two departments has unrelated keys.
    const personKeys =
      'personId' in key
        ? [key.personId]
        : this.blindIndex
            .forDepartment(departmentId)
            .lookup(key.indexed, NOMINATION_PERSON_DOMAIN)
            .map((index) => `bix:${index}`);
    const personKey = personKeys[0];
    const fields: string[] = [];
    if (given.name) fields.push('name');
    if (given.birthDate) fields.push('birthDate');
    return {
      personKey,
      personKeys,
      personId: given.personId ?? null,
      ageRange: given.birthDate ? ageRangeOfBirthDate(given.birthDate, now) : (given.ageRange ?? null),
      nominationId,
      departmentId,
      nameCiphertext: given.name
        ? this.cipher.encrypt(given.name, nominationPhiPlace(departmentId, nominationId, 'name_ciphertext'))
        : null,
      birthDateCiphertext: given.birthDate
        ? this.cipher.encrypt(given.birthDate, nominationPhiPlace(departmentId, nominationId, 'birth_date_ciphertext'))
        : null,
      fields,
    };
  }

  /** Encrypts an optional free text (reason, call-back contact), bound to the identity's nomination row. */
  encrypt(
    identity: Pick<ProtectedIdentity, 'departmentId' | 'nominationId'>,
    column: Extract<NominationPhiColumn, 'reason_text_ciphertext' | 'contact_ciphertext'>,
    text: string | undefined,
  ): string | null {
    return text === undefined
      ? null
      : this.cipher.encrypt(text, nominationPhiPlace(identity.departmentId, identity.nominationId, column));
  }
}
