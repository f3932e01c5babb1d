import { PERSON_MATCH_DOMAIN, PERSON_PHONE_MATCH_DOMAIN, personIdentityInputs } from '@cit/persistence';

/** The part of a department's blind index this needs, so callers and tests can pass any keyed index. */
export interface BlindIndexer {
  /** The index to store (the active version). */
  compute(normalized: string, domain: string): string;
  /** The same value's index under the previous version while a rotation runs, else null. */
  previous(normalized: string, domain: string): string | null;
}

/** The blind indexes of a subject's identity; null where the value cannot be matched on. */
export interface IdentityIndexes {
  personMatchIndex: string | null;
  personPhoneIndex: string | null;
}

/**
 * incident_subject.person_phone_index: HMAC of "normalized name|digits of phone" (active
 * version). Null when there is no phone, or name or phone normalize to nothing usable (such a
 * subject cannot match by phone; throwing would turn a valid report into an error).
 */
export function personPhoneIndex(
  blindIndex: BlindIndexer,
  name: string,
  phone: string | null | undefined,
): string | null {
  const input = personIdentityInputs(name, null, phone).phone;
  return input === null ? null : blindIndex.compute(input, PERSON_PHONE_MATCH_DOMAIN);
}

/** Both indexes of an identity under the active version, and under the previous one while a rotation runs. */
export function identityIndexes(
  blindIndex: BlindIndexer,
  name: string,
  dateOfBirth: string | null | undefined,
  phone: string | null | undefined,
): IdentityIndexes & { previous: IdentityIndexes | null } {
  const inputs = personIdentityInputs(name, dateOfBirth, phone);
  const prevMatch = inputs.match === null ? null : blindIndex.previous(inputs.match, PERSON_MATCH_DOMAIN);
  const prevPhone = inputs.phone === null ? null : blindIndex.previous(inputs.phone, PERSON_PHONE_MATCH_DOMAIN);
  return {
    personMatchIndex: inputs.match === null ? null : blindIndex.compute(inputs.match, PERSON_MATCH_DOMAIN),
    personPhoneIndex: inputs.phone === null ? null : blindIndex.compute(inputs.phone, PERSON_PHONE_MATCH_DOMAIN),
    previous:
      prevMatch === null && prevPhone === null ? null : { personMatchIndex: prevMatch, personPhoneIndex: prevPhone },
  };
}
