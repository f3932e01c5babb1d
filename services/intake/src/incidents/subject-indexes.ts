import type { BlindIndex } from '@cit/persistence';
import { personPhoneIndex } from '../persons/person-indexes';

/** Both blind indexes of a subject's identity; null where the value cannot be matched on (no dob, no phone, a name of punctuation only). */
export function subjectIndexes(
  blindIndex: BlindIndex,
  name: string,
  dateOfBirth?: string | null,
  phone?: string | null,
) {
  let personMatchIndex: string | null = null;
  if (dateOfBirth) {
    try {
      personMatchIndex = blindIndex.personMatch(name, dateOfBirth);
    } catch {
      // A name that normalizes to nothing cannot identify anyone; the subject stays unmatched.
      personMatchIndex = null;
    }
  }
  return { personMatchIndex, personPhoneIndex: personPhoneIndex(blindIndex, name, phone) };
}
