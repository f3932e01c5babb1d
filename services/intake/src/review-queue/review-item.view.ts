import type { FieldCipher } from '@cit/persistence';
import { inDepartment, intakePlaces } from '../incidents/phi-places';
import type { ReviewItemStatus } from '@cit/contracts';
import type { ScreeningReason } from './screening';

/** A review item as the API returns it. */
export interface ReviewItemView {
  id: string;
  incidentId: string;
  reasons: ScreeningReason[];
  status: ReviewItemStatus;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
}

/** Staff reasons are stored encrypted (they may name people); system reasons ("reclassified") are plain codes. */
export function openDecisionReason(
  cipher: FieldCipher,
  departmentId: string,
  reviewItemId: string,
  stored: string | null,
): string | null {
  if (stored === null) return null;
  return cipher.isEncrypted(stored)
    ? cipher.decrypt(stored, inDepartment(departmentId, intakePlaces.decisionReason(reviewItemId)))
    : stored;
}
