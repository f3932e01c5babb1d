import type { AgeRange } from './age-range';

/** Blind-index domain of nomination person keys (kept apart from intake's person match index). */
export const NOMINATION_PERSON_DOMAIN = 'conference.nomination-person.v1';

/** What identifies the nominated person, as far as the nominator knows. */
export type PersonIdentity =
  | { personId: string }
  | { name: string; birthDate: string }
  | { name: string; ageRange: AgeRange };

/** Normalizes a name for keying: case, accents, punctuation and spacing do not make another person. */
export function normalizePersonName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’ʼ`]/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The plain input of a person key: intake's person id when known, else normalized name with the
 * birth date (or, for a family form with an approximate age only, the age band). The caller
 * blind-indexes the non-id forms, so the stored key never holds a name.
 */
export function personKeyInput(identity: PersonIdentity): { personId: string } | { indexed: string } {
  if ('personId' in identity) return { personId: identity.personId };
  const name = normalizePersonName(identity.name);
  if ('birthDate' in identity) return { indexed: `${name}|dob:${identity.birthDate}` };
  return { indexed: `${name}|age:${identity.ageRange}` };
}
