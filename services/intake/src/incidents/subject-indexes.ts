import type { BlindIndex } from '@cit/persistence';
import { identityIndexes } from '../persons/person-indexes';

/**
 * Both blind indexes of a subject's identity in its department (active version), with the
 * previous version's while a rotation runs (lookups accept both); null where the value cannot
 * be matched on (no dob, no phone, a name of punctuation only).
 */
export function subjectIndexes(
  blindIndex: BlindIndex,
  departmentId: string,
  name: string,
  dateOfBirth?: string | null,
  phone?: string | null,
) {
  return identityIndexes(blindIndex.forDepartment(departmentId), name, dateOfBirth, phone);
}
