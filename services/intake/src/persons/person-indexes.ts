import { normalizeName, normalizePhone } from '@cit/persistence';

/** Blind-index domain of the name + phone match (separate from name + date of birth). */
export const PERSON_PHONE_MATCH_DOMAIN = 'person.phone-match.v1';

/** The part of BlindIndex this needs, so callers and tests can pass any keyed index. */
export interface BlindIndexer {
  compute(normalized: string, domain: string): string;
}

/**
 * incident_subject.person_phone_index: HMAC of "normalized name|digits of phone". Null when
 * there is no phone, or name or phone normalize to nothing usable (such a subject cannot
 * match by phone; throwing would turn a valid report into an error).
 */
export function personPhoneIndex(
  blindIndex: BlindIndexer,
  name: string,
  phone: string | null | undefined,
): string | null {
  if (!phone) return null;
  const normalizedName = normalizeName(name);
  if (!normalizedName) return null;
  let digits: string;
  try {
    digits = normalizePhone(phone);
  } catch {
    return null;
  }
  return blindIndex.compute(`${normalizedName}|${digits}`, PERSON_PHONE_MATCH_DOMAIN);
}
