import { Injectable } from '@nestjs/common';
import { BlindIndex, FieldCipher } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { ageRangeOfBirthDate, isPlausibleBirthDate, type AgeRange } from './domain/age-range';
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
  personId: string | null;
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

  /** Refuses an impossible birth date (400 naming birthDate), then keys and encrypts. */
  protect(given: GivenIdentity, now: Date = new Date()): ProtectedIdentity {
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
    const personKey =
      'personId' in key ? key.personId : `bix:${this.blindIndex.compute(key.indexed, NOMINATION_PERSON_DOMAIN)}`;
    const fields: string[] = [];
    if (given.name) fields.push('name');
    if (given.birthDate) fields.push('birthDate');
    return {
      personKey,
      personId: given.personId ?? null,
      ageRange: given.birthDate ? ageRangeOfBirthDate(given.birthDate, now) : (given.ageRange ?? null),
      nameCiphertext: given.name ? this.cipher.encrypt(given.name) : null,
      birthDateCiphertext: given.birthDate ? this.cipher.encrypt(given.birthDate) : null,
      fields,
    };
  }

  /** Encrypts an optional free text (reason, call-back contact). */
  encrypt(text: string | undefined): string | null {
    return text === undefined ? null : this.cipher.encrypt(text);
  }
}
